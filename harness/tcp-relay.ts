/**
 * A TCP relay in front of a server (the API server, say) that a test can cut and heal, to make an
 * outage real: `cut()` drops every open connection and stops listening, so a client's next
 * connection is refused as by a server that went away; `heal()` listens again on the same port.
 * TLS passes through untouched (the client still talks to the real server's certificate).
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import { freePort } from './ports.js'

/** A running relay. */
export interface TcpRelay {
  /** `127.0.0.1:PORT`. */
  readonly host: string
  readonly port: number
  /** Connections accepted so far. */
  connections(): number
  /** Drops the open connections; with `refuse` (default) also stops listening until heal(). */
  cut(options?: { refuse?: boolean }): Promise<void>
  /** Listens again after a refusing cut. */
  heal(): Promise<void>
  stop(): Promise<void>
}

/** Starts a relay on a free loopback port to `targetPort` on 127.0.0.1. */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>()
  let connections = 0
  const port = await freePort()
  const relay = (client: Socket): void => {
    connections++
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => socket.destroy()) // a cut relay: both ends just close
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  }
  let server: Server | undefined
  const listen = async (): Promise<void> => {
    const next = createServer(relay)
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => resolve())
    })
    server = next
  }
  const close = async (): Promise<void> => {
    const current = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()))
  }
  await listen()
  return {
    host: `127.0.0.1:${port}`,
    port,
    connections: () => connections,
    cut: async ({ refuse = true } = {}) => {
      if (refuse) await close()
      else for (const socket of sockets) socket.destroy()
    },
    heal: async () => {
      if (!server) await listen()
    },
    stop: close
  }
}
