/**
 * How the watcher reads provider trouble, on viem's real error objects from a
 * loopback server that answers like hosted providers do (no chain needed).
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, http } from 'viem'
import { classifyError, isRangeRefusal } from '../../src-main/engine/watcher'

let server: Server
let url: string
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} }

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      res.end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  url = `http://127.0.0.1:${address.port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

async function errorFor(method: string, answer: typeof reply): Promise<unknown> {
  reply = answer
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }) })
  return client.request({ method: method as 'eth_chainId' }).then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error,
  )
}

describe('provider trouble', () => {
  it('HTTP 429 is a rate limit, with its Retry-After in seconds or as a date', async () => {
    const error = await errorFor('eth_blockNumber', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { jsonrpc: '2.0', id: 1, error: { code: 429, message: 'Too Many Requests' } },
    })
    expect(classifyError(error)).toEqual({ kind: 'rate-limit', retryAfterMs: 7000 })
    // An HTTP date is whole seconds against the wall clock: 20 s ahead reads as a little under 20 s.
    const dated = await errorFor('eth_blockNumber', {
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 20_000).toUTCString() },
      body: { jsonrpc: '2.0', id: 1, error: { code: 429, message: 'Too Many Requests' } },
    })
    const fromDate = classifyError(dated)
    expect(fromDate.kind).toBe('rate-limit')
    const waited = fromDate.kind === 'rate-limit' ? fromDate.retryAfterMs : null
    expect(waited).toBeGreaterThan(15_000)
    expect(waited).toBeLessThanOrEqual(20_000)
    // A value that is neither leaves the wait to the URL's own backoff; an hour is cut to the 10-minute maximum.
    const unreadable = await errorFor('eth_blockNumber', { status: 429, headers: { 'retry-after': 'soon' }, body: {} })
    expect(classifyError(unreadable)).toEqual({ kind: 'rate-limit', retryAfterMs: null })
    const long = await errorFor('eth_blockNumber', { status: 429, headers: { 'retry-after': '3600' }, body: {} })
    expect(classifyError(long)).toEqual({ kind: 'rate-limit', retryAfterMs: 600_000 })
  })

  it('a refused block range is an answer (the provider is alive), and recognised as such', async () => {
    const error = await errorFor('eth_getLogs', {
      status: 200,
      body: { jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'query exceeds max block range 5' } },
    })
    expect(classifyError(error).kind).toBe('rpc')
    expect(isRangeRefusal(error)).toBe(true)
    const other = await errorFor('eth_getLogs', {
      status: 200,
      body: { jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'invalid argument 0: hex string without 0x prefix' } },
    })
    expect(isRangeRefusal(other)).toBe(false)
  })

  it('a 5xx or a refused connection means the URL is down', async () => {
    expect(classifyError(await errorFor('eth_blockNumber', { status: 503, body: { error: 'upstream' } })).kind).toBe('transport')
    const dead = createPublicClient({ transport: http('http://127.0.0.1:9', { retryCount: 0 }) })
    const refused = await dead.getBlockNumber().catch((e: unknown) => e)
    expect(classifyError(refused).kind).toBe('transport')
  })
})
