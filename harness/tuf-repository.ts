/**
 * A TUF repository on loopback, serving one target (`trusted_root.json`) under signed metadata
 * (root, timestamp, snapshot, targets) made by @tufjs/repo-mock's `initializeTUFRepo`; its handlers are
 * served from a real HTTP server (the package's own mock uses nock, which a bundled action running as
 * a child process would never see).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// The package's index loads nock, which would intercept every request of the test process: take
// only the metadata maker and the handlers.
import { initializeTUFRepo } from '@tufjs/repo-mock/dist/repo.js'
import { tufHandlers } from '@tufjs/repo-mock/dist/handler.js'

/** The running repository. */
export interface TufRepository {
  /** `tuf-mirror-url`. */
  readonly url: string
  /** The repository's first root.json, as a file (`tuf-root`). */
  readonly rootFile: string
  /** How many requests it answered. */
  requests(): number
  stop(): Promise<void>
}

/** Serves a TUF repository whose `trusted_root.json` target is `trustedRoot`. */
export async function startTufRepository(trustedRoot: unknown): Promise<TufRepository> {
  const repo = initializeTUFRepo([
    { name: 'trusted_root.json', content: JSON.stringify(trustedRoot) }
  ])
  const handlers = new Map(
    tufHandlers(repo, { metadataPathPrefix: '', targetPathPrefix: '/targets' }).map((h) => [
      h.path,
      h.fn
    ])
  )
  let answered = 0
  const server = createServer((req, res) => {
    answered += 1
    const handler = handlers.get(new URL(req.url ?? '/', 'http://x').pathname)
    const reply = handler ? handler() : { statusCode: 404, response: '' }
    res.writeHead(reply.statusCode, {
      'content-type': reply.contentType ?? 'application/octet-stream'
    })
    res.end(reply.response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const dir = mkdtempSync(join(tmpdir(), 'tuf-repo-'))
  const rootFile = join(dir, '1.root.json')
  writeFileSync(rootFile, JSON.stringify(repo.rootMeta.toJSON()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rootFile,
    requests: () => answered,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
