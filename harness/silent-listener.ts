import { createServer, type Socket } from 'node:net'

/** A TCP listener that accepts connections and never sends a byte (a registry that hangs). */
export interface SilentListener {
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string
  /** Connections accepted so far. */
  readonly accepted: () => number
  stop(): Promise<void>
}

/** Starts a listener on loopback that keeps every connection open, reads it and answers nothing. */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    accepted++
    sockets.add(socket)
    // read and drop what the client sends, so that its writes never block on a full buffer
    socket.resume()
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    host: `127.0.0.1:${port}`,
    accepted: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
