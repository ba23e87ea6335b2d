import { createServer } from 'node:net'

// Asks the OS for a free loopback port by binding port 0 and releasing it.
// Racy by nature (another process can take it before we re-bind), so callers
// that spawn servers on the returned port must retry on EADDRINUSE.
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.unref()
    probe.once('error', reject)
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const address = probe.address()
      if (address === null || typeof address === 'string') {
        probe.close()
        reject(new Error('probe server has no TCP address'))
        return
      }
      const { port } = address
      probe.close((err) => (err ? reject(err) : resolve(port)))
    })
  })
}
