import { createServer, request, type Server } from 'node:https'
import type { Socket } from 'node:net'
import { parse, stringify } from 'yaml'
import { testPki } from './tls.js'

/** One request a client sent through the proxy. */
export interface CountedRequest {
  readonly method: string
  /** Path and query. */
  readonly path: string
  readonly status: number
}

/** A TLS proxy in front of an API server that records every request a client makes. */
export interface KubeCountingProxy {
  /** `https://127.0.0.1:PORT`. */
  readonly server: string
  readonly requests: CountedRequest[]
  /** `kubeconfig` (YAML) pointed at the proxy, trusting the proxy's CA. */
  kubeconfigThrough(kubeconfig: string): string
  stop(): Promise<void>
}

/**
 * Starts an HTTPS reverse proxy to `target` (an API server whose CA is `targetCaPem`) that counts
 * what one client asks, as the API server's own metrics cannot tell clients apart. Bodies stream
 * both ways, so watches work through it.
 */
export async function startKubeCountingProxy(
  target: string,
  targetCaPem: string
): Promise<KubeCountingProxy> {
  const pki = await testPki()
  const upstream = new URL(target)
  const requests: CountedRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer(
    { cert: pki.server.certPem, key: pki.server.keyPem },
    (req, res) => {
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          ca: targetCaPem
        },
        (answer) => {
          requests.push({
            method: req.method ?? 'GET',
            path: req.url ?? '/',
            status: answer.statusCode ?? 0
          })
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      forward.on('error', () => res.destroy())
      res.on('close', () => forward.destroy())
      req.pipe(forward)
    }
  )
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  const url = `https://127.0.0.1:${address.port}`
  return {
    server: url,
    requests,
    kubeconfigThrough(kubeconfig: string): string {
      const config = parse(kubeconfig) as {
        clusters: { cluster: Record<string, unknown> }[]
      }
      for (const { cluster } of config.clusters) {
        cluster.server = url
        delete cluster['certificate-authority']
        cluster['certificate-authority-data'] = Buffer.from(pki.ca.certPem).toString('base64')
      }
      return stringify(config)
    },
    async stop(): Promise<void> {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
