/**
 * A front for distribution 2.8, the registry the tests run: 2.8 ignores `n` on `tags/list` and sends
 * every tag, unsorted, at once (pagination came with distribution 3, distribution/distribution#3143).
 * The front answers `tags/list` as the OCI spec and distribution 3 do (lexical order, `n`, `last`,
 * `Link: <…>; rel="next"`) from the real registry's full listing, and passes every other GET through
 * (Accept and Authorization too), holding each for `holdMs` so that overlapping requests show.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/** A running front. */
export interface PagingFront {
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string
  /** `METHOD path?query` of every request, in arrival order. */
  readonly seen: string[]
  /** The most requests the front was answering at one time. */
  maxInFlight(): number
  stop(): Promise<void>
}

/** Starts a front on loopback for the plain-HTTP registry at `upstream` (`http://host:port`). */
export async function startPagingFront(upstream: string, holdMs = 0): Promise<PagingFront> {
  const seen: string[] = []
  let inFlight = 0
  let most = 0
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    most = Math.max(most, ++inFlight)
    res.on('close', () => inFlight--)
    answer(upstream, req, res, holdMs).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    host: `127.0.0.1:${port}`,
    seen,
    maxInFlight: () => most,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const PASSED_BACK = ['content-type', 'docker-content-digest', 'www-authenticate']

async function answer(
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
  holdMs: number
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://front.invalid')
  const listing = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname)
  const sent: Record<string, string> = {}
  for (const name of ['accept', 'authorization']) {
    const value = req.headers[name]
    if (typeof value === 'string') sent[name] = value
  }
  const reply = await fetch(`${upstream}${url.pathname}${listing ? '' : url.search}`, {
    headers: sent
  })
  const body = Buffer.from(await reply.arrayBuffer())
  const headers: Record<string, string> = {}
  for (const name of PASSED_BACK) {
    const value = reply.headers.get(name)
    if (value !== null) headers[name] = value
  }
  if (holdMs > 0 && !listing) await new Promise((resolve) => setTimeout(resolve, holdMs))
  if (!listing || reply.status !== 200) {
    res.writeHead(reply.status, headers).end(body)
    return
  }
  const all = (JSON.parse(body.toString()) as { tags: string[] }).tags.sort()
  const last = url.searchParams.get('last')
  const rest = last === null ? all : all.filter((tag) => tag > last)
  const n = Number(url.searchParams.get('n') ?? rest.length)
  const page = rest.slice(0, n)
  const name = listing[1] ?? ''
  if (page.length < rest.length) {
    const next = new URLSearchParams({ n: String(n), last: page.at(-1) ?? '' })
    headers.link = `</v2/${name}/tags/list?${next}>; rel="next"`
  }
  res.writeHead(200, headers).end(JSON.stringify({ name, tags: page }))
}
