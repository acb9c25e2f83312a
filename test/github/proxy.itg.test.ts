import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { openGitHub } from '../../src/github/client.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'

const SHA = 'fedcba9876543210fedcba9876543210fedcba98'
let api: GitHubApi
let proxy: Server
let proxyUrl: string
/** Where the proxy was asked to go: `CONNECT host:port` or the absolute URL of a plain request. */
const seen: string[] = []

/** A forward proxy as a runner's network has one: CONNECT tunnels and absolute-form requests. */
function startProxy(): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(req.url ?? '')
    const target = new URL(req.url ?? '')
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

beforeAll(async () => {
  api = await startGitHubApi()
  proxy = await startProxy()
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
afterAll(async () => {
  proxy?.closeAllConnections()
  await new Promise((resolve) => proxy?.close(resolve))
  await api?.stop()
})

async function createStatus(env: Record<string, string>): Promise<void> {
  const target = { token: api.token, apiUrl: api.url, repository: 'octo/app' }
  const { octokit, owner, repo } = await openGitHub(target, 'set a commit status', env)
  await octokit.rest.repos.createCommitStatus({ owner, repo, sha: SHA, state: 'success' })
}

describe('GitHub calls and the runner’s proxy', () => {
  it('go through the proxy that https_proxy / http_proxy name', async () => {
    seen.length = 0
    await createStatus({ http_proxy: proxyUrl, https_proxy: proxyUrl })
    const host = new URL(api.url).host
    expect(seen.some((s) => s === `CONNECT ${host}` || s.startsWith(`${api.url}/`))).toBe(true)
    expect(api.commitStatuses(SHA).length).toBeGreaterThan(0)
  })

  it('go direct to a host that no_proxy names, and with no proxy set', async () => {
    seen.length = 0
    const before = api.commitStatuses(SHA).length
    await createStatus({ http_proxy: proxyUrl, https_proxy: proxyUrl, no_proxy: '127.0.0.1' })
    await createStatus({})
    expect(seen).toEqual([])
    expect(api.commitStatuses(SHA).length).toBe(before + 2)
  })
})
