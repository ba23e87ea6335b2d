import { connect, createServer } from 'node:net'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BaseError,
  HttpRequestError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  parseAbiItem,
  webSocket,
} from 'viem'
import type { PublicClient } from 'viem'
import {
  DEMO_TOKENS,
  FUNDED_ACCOUNTS,
  FUNDED_WHOLE_TOKENS,
  compileStablecoin,
  sendStablecoin,
  stablecoinAbi,
  startAnvil,
} from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { startDevnet } from '../support/anvil'
import { getFreePort } from '../support/freePort'
import { startHttpReceiver } from '../support/httpReceiver'
import type { HttpReceiver } from '../support/httpReceiver'
import { startRpcProxy } from '../support/rpcProxy'
import type { RpcProxy } from '../support/rpcProxy'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const transferEvent = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

let anvil: Anvil
let tokens: DemoChain
let pub: PublicClient
let proxy: RpcProxy
let receiver: HttpReceiver
// Registered as each resource comes up, so a half-failed beforeAll still cleans up.
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  const devnet = await startDevnet()
  cleanups.push(() => devnet.stop())
  anvil = devnet.anvil
  tokens = { usdc: devnet.usdc, usdt: devnet.usdt }
  pub = createPublicClient({ transport: http(anvil.rpcUrl), pollingInterval: 50 })
  proxy = await startRpcProxy({ target: { http: anvil.rpcUrl, ws: anvil.wsUrl } })
  cleanups.push(() => proxy.stop())
  receiver = await startHttpReceiver()
  cleanups.push(() => receiver.stop())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

function rpcBody(method: string, params: unknown[] = [], id: number = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params })
}

function post(url: string, body: string, init: { signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...init })
}

/** Resolves with the connect error code (e.g. ECONNREFUSED), or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A promise plus its resolver, for waiting on callbacks without polling. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Rejects if `promise` has not settled within `ms`, naming what was awaited. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
    }),
  ])
}

describe('anvil', () => {
  it('listens on loopback with the 10 funded dev accounts', async () => {
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`)
    expect(anvil.wsUrl).toBe(`ws://127.0.0.1:${anvil.port}`)
    expect(anvil.chainId).toBe(31337)
    expect(await pub.getChainId()).toBe(31337)
    expect(anvil.accounts).toHaveLength(10)
    expect(new Set(anvil.accounts).size).toBe(10)
    expect(isAlive(anvil.pid)).toBe(true)
    expect(await pub.getBalance({ address: anvil.accounts[9]! })).toBeGreaterThan(0n)
  })

  it('honours chainId and noMining, and stop() kills the process', async () => {
    const node = await startAnvil({ chainId: 1337, noMining: true })
    try {
      const client = createPublicClient({ transport: http(node.rpcUrl), pollingInterval: 50 })
      expect(await client.getChainId()).toBe(1337)
      const wallet = createWalletClient({ transport: http(node.rpcUrl) })
      const hash = await wallet.sendTransaction({ account: node.accounts[0]!, to: node.accounts[1]!, value: 1n, chain: null })
      // Nothing is mined until asked.
      expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(0n)
      await createTestClient({ mode: 'anvil', transport: http(node.rpcUrl) }).mine({ blocks: 1 })
      const receipt = await client.waitForTransactionReceipt({ hash, timeout: 10_000 })
      expect(receipt.blockNumber).toBe(1n)
    } finally {
      await node.stop()
    }
    expect(isAlive(node.pid)).toBe(false)
    expect(await tryConnect(node.port)).toBe('ECONNREFUSED')
    await node.stop() // idempotent
  })

  it('fails fast when an explicit port is taken', async () => {
    const blocker = createServer()
    const port = await getFreePort()
    await new Promise<void>((resolve) => blocker.listen({ port, host: '127.0.0.1' }, resolve))
    try {
      await expect(startAnvil({ port, readyTimeoutMs: 10_000 })).rejects.toThrow(/exited before it was ready.*in use/i)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})

describe('test stablecoins', () => {
  it('deploys USDC with 6 and USDT with 18 decimals', async () => {
    for (const [key, spec] of Object.entries(DEMO_TOKENS) as [keyof DemoChain, (typeof DEMO_TOKENS)[keyof DemoChain]][]) {
      const address = tokens[key]
      expect(address).toBe(getAddress(address)) // checksummed, as the app stores them
      expect(await pub.readContract({ address, abi: stablecoinAbi, functionName: 'decimals' })).toBe(spec.decimals)
      expect(await pub.readContract({ address, abi: stablecoinAbi, functionName: 'symbol' })).toBe(spec.symbol)
      expect(await pub.readContract({ address, abi: stablecoinAbi, functionName: 'name' })).toBe(spec.name)
    }
    expect(DEMO_TOKENS.usdc.decimals).toBe(6)
    expect(DEMO_TOKENS.usdt.decimals).toBe(18)
  })

  it('funds the first 5 dev accounts with 10^12 whole tokens and nobody else', async () => {
    const expected = { usdc: 10n ** 6n * FUNDED_WHOLE_TOKENS, usdt: 10n ** 18n * FUNDED_WHOLE_TOKENS }
    expect(expected.usdt).toBe(10n ** 30n)
    // Account 6 onwards may receive transfers in later tests; account 5 never does.
    for (const key of ['usdc', 'usdt'] as const) {
      for (let i = 0; i < FUNDED_ACCOUNTS; i++) {
        const balance = await pub.readContract({
          address: tokens[key],
          abi: stablecoinAbi,
          functionName: 'balanceOf',
          args: [anvil.accounts[i]!],
        })
        expect(balance).toBe(expected[key])
      }
      const unfunded = await pub.readContract({
        address: tokens[key],
        abi: stablecoinAbi,
        functionName: 'balanceOf',
        args: [anvil.accounts[5]!],
      })
      expect(unfunded).toBe(0n)
    }
  })

  it('sends a transfer whose Transfer log getLogs returns', async () => {
    const from = anvil.accounts[1]!
    const to = anvil.accounts[6]!
    const amount = 12_340_000n // 12.34 USDC
    const before = await pub.readContract({ address: tokens.usdc, abi: stablecoinAbi, functionName: 'balanceOf', args: [to] })
    const sent = await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from, to, amount })
    expect(sent.hash).toMatch(/^0x[0-9a-f]{64}$/)

    const logs = await pub.getLogs({
      address: tokens.usdc,
      event: transferEvent,
      args: { to },
      fromBlock: sent.blockNumber,
      toBlock: sent.blockNumber,
    })
    expect(logs).toHaveLength(1)
    const log = logs[0]!
    expect(log.transactionHash).toBe(sent.hash)
    expect(log.logIndex).toBe(sent.logIndex)
    expect(log.blockHash).toBe(sent.blockHash)
    expect(log.args.from?.toLowerCase()).toBe(from.toLowerCase())
    expect(log.args.value).toBe(amount)
    const after = await pub.readContract({ address: tokens.usdc, abi: stablecoinAbi, functionName: 'balanceOf', args: [to] })
    expect(after - before).toBe(amount)
  })

  it('moves 18-decimal amounts far above 2^63 base units exactly', async () => {
    const from = anvil.accounts[2]!
    const to = anvil.accounts[7]!
    // 123,456,789.000000000000000001 USDT: ~1.2e26 base units, beyond any int64/double.
    const amount = 123_456_789n * 10n ** 18n + 1n
    expect(amount > 2n ** 63n * 10n ** 6n).toBe(true)
    const sent = await sendStablecoin(anvil.rpcUrl, { token: tokens.usdt, from, to, amount })
    const logs = await pub.getLogs({ address: tokens.usdt, event: transferEvent, fromBlock: sent.blockNumber, toBlock: sent.blockNumber })
    expect(logs.map((l) => l.args.value)).toEqual([amount])
    expect(await pub.readContract({ address: tokens.usdt, abi: stablecoinAbi, functionName: 'balanceOf', args: [to] })).toBe(amount)
    expect(await pub.readContract({ address: tokens.usdt, abi: stablecoinAbi, functionName: 'balanceOf', args: [from] })).toBe(
      10n ** 30n - amount,
    )
  })

  it('supports approve + transferFrom', async () => {
    const wallet = createWalletClient({ transport: http(anvil.rpcUrl) })
    const owner = anvil.accounts[3]!
    const spender = anvil.accounts[8]!
    const recipient = anvil.accounts[9]!
    const approveHash = await wallet.writeContract({
      address: tokens.usdc,
      abi: stablecoinAbi,
      functionName: 'approve',
      args: [spender, 5_000_000n],
      account: owner,
      chain: null,
    })
    await pub.waitForTransactionReceipt({ hash: approveHash })
    const pullHash = await wallet.writeContract({
      address: tokens.usdc,
      abi: stablecoinAbi,
      functionName: 'transferFrom',
      args: [owner, recipient, 2_000_000n],
      account: spender,
      chain: null,
    })
    expect((await pub.waitForTransactionReceipt({ hash: pullHash })).status).toBe('success')
    expect(await pub.readContract({ address: tokens.usdc, abi: stablecoinAbi, functionName: 'allowance', args: [owner, spender] })).toBe(
      3_000_000n,
    )
    expect(await pub.readContract({ address: tokens.usdc, abi: stablecoinAbi, functionName: 'balanceOf', args: [recipient] })).toBe(
      2_000_000n,
    )
  })

  it('memoises the solc-js compile', () => {
    const first = compileStablecoin()
    const started = performance.now()
    const again = compileStablecoin()
    expect(performance.now() - started).toBeLessThan(50)
    expect(again).toBe(first)
    expect(first.bytecode).toMatch(/^0x[0-9a-f]+$/)
    expect(first.abi.some((item) => item.type === 'event' && item.name === 'Transfer')).toBe(true)
  })
})

describe('rpcProxy', () => {
  it('forwards and counts calls, each batch element separately', async () => {
    proxy.setMode('pass')
    proxy.resetCounts()
    const client = createPublicClient({ transport: http(proxy.httpUrl, { retryCount: 0 }) })
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(await pub.getBlockNumber({ cacheTime: 0 }))
    expect(proxy.count('eth_blockNumber')).toBe(1)

    const res = await post(
      proxy.httpUrl,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'eth_blockNumber', params: [] },
        { jsonrpc: '2.0', id: 3, method: 'eth_chainId', params: [] },
      ]),
    )
    const batch = (await res.json()) as { id: number; result: string }[]
    expect(batch.map((r) => r.id)).toEqual([1, 2, 3])
    expect(batch[0]!.result).toBe('0x7a69')
    expect(proxy.counts.total).toBe(4)
    expect(proxy.counts.httpRequests).toBe(2)
    expect(proxy.counts.byMethod).toEqual({ eth_blockNumber: 2, eth_chainId: 2 })

    proxy.resetCounts()
    expect(proxy.counts.total).toBe(0)
    expect(proxy.count('eth_chainId')).toBe(0)
  })

  it('rate-limit answers HTTP 429 with Retry-After', async () => {
    proxy.resetCounts()
    proxy.setRetryAfter(7)
    proxy.setMode('rate-limit')
    try {
      const res = await post(proxy.httpUrl, rpcBody('eth_chainId'))
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')

      const client = createPublicClient({ transport: http(proxy.httpUrl, { retryCount: 0 }) })
      const err = await client.getChainId().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BaseError)
      // viem raises RpcRequestError when the 429 body is a JSON-RPC error (as
      // Alchemy sends) and HttpRequestError otherwise; both carry status and headers.
      const httpErr = (err as BaseError).walk((e) => e instanceof HttpRequestError || e instanceof RpcRequestError) as
        HttpRequestError | RpcRequestError | null
      expect(httpErr?.status).toBe(429)
      expect(httpErr?.headers?.get('retry-after')).toBe('7')
      // Refused calls are still counted: that is how backoff is verified.
      expect(proxy.count('eth_chainId')).toBe(2)
    } finally {
      proxy.setMode('pass')
      proxy.setRetryAfter(1)
    }
  })

  it('down destroys connections and recovers on pass', async () => {
    proxy.setMode('down')
    try {
      await expect(post(proxy.httpUrl, rpcBody('eth_chainId'))).rejects.toThrow()
      const client = createPublicClient({ transport: http(proxy.httpUrl, { retryCount: 0 }) })
      await expect(client.getChainId()).rejects.toBeInstanceOf(BaseError)
    } finally {
      proxy.setMode('pass')
    }
    const res = await post(proxy.httpUrl, rpcBody('eth_chainId'))
    expect(((await res.json()) as { result: string }).result).toBe('0x7a69')
  })

  it('hang never answers, so clients time out', async () => {
    proxy.resetCounts()
    proxy.setMode('hang')
    try {
      const err = await post(proxy.httpUrl, rpcBody('eth_chainId'), { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)
      expect((err as Error).name).toBe('TimeoutError')
      const client = createPublicClient({ transport: http(proxy.httpUrl, { retryCount: 0, timeout: 200 }) })
      await expect(client.getBlockNumber({ cacheTime: 0 })).rejects.toBeInstanceOf(TimeoutError)
      expect(proxy.counts.total).toBe(2)
    } finally {
      proxy.setMode('pass')
    }
  })

  it('caps eth_getLogs ranges like hosted providers', async () => {
    // Enough blocks that 'earliest'..'latest' spans more than the cap.
    await createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) }).mine({ blocks: 12 })
    proxy.setMaxLogRange(10)
    try {
      const tooWide = await post(proxy.httpUrl, rpcBody('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0xa' }]))
      expect(await tooWide.json()).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32005, message: 'query exceeds max block range 10' } })
      const byTags = await post(proxy.httpUrl, rpcBody('eth_getLogs', [{ fromBlock: 'earliest', toBlock: 'latest' }]))
      expect(((await byTags.json()) as { error?: { code: number } }).error?.code).toBe(-32005)
      const fits = await post(proxy.httpUrl, rpcBody('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0xa' }]))
      expect(Array.isArray(((await fits.json()) as { result: unknown }).result)).toBe(true)

      // In a batch only the offending element is refused, and order is kept.
      const batchRes = await post(
        proxy.httpUrl,
        JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'eth_getLogs', params: [{ fromBlock: '0x1', toBlock: '0x2' }] },
          { jsonrpc: '2.0', id: 2, method: 'eth_getLogs', params: [{ fromBlock: '0x1', toBlock: '0x20' }] },
          { jsonrpc: '2.0', id: 3, method: 'eth_chainId', params: [] },
        ]),
      )
      const batch = (await batchRes.json()) as { id: number; result?: unknown; error?: { code: number } }[]
      expect(batch.map((r) => r.id)).toEqual([1, 2, 3])
      expect(Array.isArray(batch[0]!.result)).toBe(true)
      expect(batch[1]!.error?.code).toBe(-32005)
      expect(batch[2]!.result).toBe('0x7a69')

      const client = createPublicClient({ transport: http(proxy.httpUrl, { retryCount: 0 }) })
      const err = await client.getLogs({ address: tokens.usdc, fromBlock: 0n, toBlock: 20n }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BaseError)
      expect((err as BaseError).walk((e) => (e as { code?: unknown }).code === -32005)).toBeTruthy()
      expect(await client.getLogs({ address: tokens.usdc, fromBlock: 1n, toBlock: 10n })).toBeInstanceOf(Array)
    } finally {
      proxy.setMaxLogRange(null)
    }
    const lifted = await post(proxy.httpUrl, rpcBody('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x20' }]))
    expect(Array.isArray(((await lifted.json()) as { result: unknown }).result)).toBe(true)
  })

  it('applies the log range cap and rate limiting to WebSocket calls too', async () => {
    proxy.resetCounts()
    const client = createPublicClient({ transport: webSocket(proxy.wsUrl, { reconnect: false, keepAlive: false, retryCount: 0 }) })
    try {
      expect(await client.getChainId()).toBe(31337)
      proxy.setMaxLogRange(10)
      const tooWide = await client.getLogs({ address: tokens.usdc, fromBlock: 0n, toBlock: 20n }).catch((e: unknown) => e)
      expect((tooWide as BaseError).walk((e) => (e as { code?: unknown }).code === -32005)).toBeTruthy()
      expect(await client.getLogs({ address: tokens.usdc, fromBlock: 1n, toBlock: 10n })).toBeInstanceOf(Array)
      proxy.setMaxLogRange(null)

      proxy.setMode('rate-limit')
      const limited = await client.getBlockNumber({ cacheTime: 0 }).catch((e: unknown) => e)
      expect((limited as BaseError).walk((e) => (e as { code?: unknown }).code === -32005)).toBeTruthy()
      proxy.setMode('pass')
      expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(await pub.getBlockNumber({ cacheTime: 0 }))
      expect(proxy.counts.wsMessages).toBe(proxy.counts.total)
      expect(proxy.count('eth_getLogs')).toBe(2)
      expect(proxy.count('eth_blockNumber')).toBe(2)
    } finally {
      proxy.setMaxLogRange(null)
      proxy.setMode('pass')
      ;(await client.transport.getRpcClient()).close()
    }
  })

  it('dropWebSockets closes a viem webSocket subscription', async () => {
    proxy.resetCounts()
    const client = createPublicClient({ transport: webSocket(proxy.wsUrl, { reconnect: false, keepAlive: false }) })
    const firstBlock = deferred<bigint>()
    const closed = deferred<Error>()
    // A webSocket transport subscribes (eth_subscribe newHeads) by default.
    const unwatch = client.watchBlockNumber({
      onBlockNumber: (n) => firstBlock.resolve(n),
      onError: (e) => closed.resolve(e),
    })
    try {
      // Confirmed by the node, not just sent: a block mined earlier would never be notified.
      await waitFor(() => proxy.activeSubscriptions === 1, {
        timeoutMs: 10_000,
        label: 'newHeads subscription confirmed through the proxy',
      })
      expect(proxy.count('eth_subscribe')).toBe(1)
      expect(proxy.openWebSockets).toBe(1)
      await createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) }).mine({ blocks: 1 })
      const head = await pub.getBlockNumber({ cacheTime: 0 })
      expect(await within(firstBlock.promise, 10_000, 'a newHeads notification')).toBe(head)

      expect(proxy.dropWebSockets()).toBe(1)
      const err = await within(closed.promise, 10_000, 'the subscription error after the drop')
      expect(err).toBeInstanceOf(SocketClosedError)
      expect(proxy.openWebSockets).toBe(0)
    } finally {
      unwatch()
      ;(await client.transport.getRpcClient()).close()
    }
  })

  it('a reconnecting viem webSocket re-subscribes after a drop', async () => {
    proxy.resetCounts()
    const client = createPublicClient({ transport: webSocket(proxy.wsUrl, { reconnect: { attempts: 5, delay: 50 }, keepAlive: false }) })
    const seen: bigint[] = []
    let notify: (() => void) | undefined
    // A webSocket transport subscribes (eth_subscribe newHeads) by default.
    const unwatch = client.watchBlockNumber({
      onBlockNumber: (n) => {
        seen.push(n)
        notify?.()
      },
      onError: () => undefined, // the drop is expected; reconnect handles it
    })
    const nextBlock = (): Promise<void> => new Promise((resolve) => (notify = resolve))
    const testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
    try {
      await waitFor(() => proxy.activeSubscriptions === 1, { timeoutMs: 10_000, label: 'first newHeads subscription confirmed' })
      // A first notification proves viem registered the subscription, so it will re-subscribe.
      const first = nextBlock()
      await testClient.mine({ blocks: 1 })
      await within(first, 10_000, 'a newHeads notification before the drop')

      expect(proxy.dropWebSockets()).toBe(1)
      await waitFor(() => proxy.counts.wsConnections === 2 && proxy.activeSubscriptions === 1, {
        timeoutMs: 10_000,
        label: 'reconnected and re-subscribed',
      })
      expect(proxy.count('eth_subscribe')).toBe(2)
      const arrived = nextBlock()
      await testClient.mine({ blocks: 1 })
      await within(arrived, 10_000, 'a newHeads notification after reconnect')
      expect(seen.at(-1)).toBe(await pub.getBlockNumber({ cacheTime: 0 }))
    } finally {
      unwatch()
      ;(await client.transport.getRpcClient()).close()
    }
  })
})

describe('httpReceiver', () => {
  it('records method, url, headers, raw body and time', async () => {
    receiver.clear()
    const body = JSON.stringify({ event: 'payment.confirmed', amount: '12.34' })
    const before = Date.now()
    const res = await fetch(`${receiver.url}/hooks/pos?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': 'abc' },
      body,
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ok')
    const [req] = await receiver.waitFor((rs) => rs.length >= 1, 5_000)
    expect(req!.method).toBe('POST')
    expect(req!.url).toBe('/hooks/pos?x=1')
    expect(req!.headers['x-signature']).toBe('abc')
    expect(Buffer.isBuffer(req!.body)).toBe(true)
    expect(req!.body.equals(Buffer.from(body))).toBe(true)
    expect(req!.receivedAt).toBeGreaterThanOrEqual(before)
    expect(req!.outcome).toEqual({ kind: 'responded', status: 200 })
  })

  it('plays queued responses before the default one', async () => {
    receiver.clear()
    receiver.respondWith(503, { 'retry-after': '3' }, 'busy')
    receiver.enqueue({ kind: 'respond', status: 201, body: 'created' })
    try {
      const first = await fetch(receiver.url, { method: 'POST', body: 'a' })
      expect([first.status, await first.text()]).toEqual([201, 'created'])
      const second = await fetch(receiver.url, { method: 'POST', body: 'b' })
      expect([second.status, second.headers.get('retry-after'), await second.text()]).toEqual([503, '3', 'busy'])
    } finally {
      receiver.respondWith(200, { 'content-type': 'text/plain' }, 'ok')
    }
    expect(receiver.requests.map((r) => r.text)).toEqual(['a', 'b'])
  })

  it('hangNext and resetNext make the client fail, but the request is recorded', async () => {
    receiver.clear()
    receiver.hangNext()
    const hung = await fetch(receiver.url, { method: 'POST', body: 'slow', signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)
    expect((hung as Error).name).toBe('TimeoutError')
    receiver.resetNext()
    await expect(fetch(receiver.url, { method: 'POST', body: 'reset' })).rejects.toThrow()
    expect(receiver.requests.map((r) => [r.text, r.outcome.kind])).toEqual([
      ['slow', 'hung'],
      ['reset', 'reset'],
    ])
    const ok = await fetch(receiver.url, { method: 'POST', body: 'after' })
    expect(ok.status).toBe(200)
  })

  it('goes down and comes back up on the same port', async () => {
    receiver.clear()
    const { port, url } = receiver
    await receiver.down()
    expect(receiver.isUp).toBe(false)
    expect(await tryConnect(port)).toBe('ECONNREFUSED')
    await expect(fetch(url, { method: 'POST', body: 'x' })).rejects.toThrow()
    await receiver.up()
    expect(receiver.port).toBe(port)
    const res = await fetch(url, { method: 'POST', body: 'back' })
    expect(res.status).toBe(200)
    await receiver.waitFor((rs) => rs.some((r) => r.text === 'back'), 5_000)
    expect(receiver.requests).toHaveLength(1)
  })

  it('waitFor names the condition when it times out', async () => {
    await expect(receiver.waitFor(() => false, 30, 'a request that never comes')).rejects.toThrow(/a request that never comes/)
  })
})

describe('support helpers', () => {
  it('waitFor resolves with the value and names the condition on timeout', async () => {
    let calls = 0
    expect(await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { timeoutMs: 2_000, intervalMs: 1 })).toBe('ready')
    expect(calls).toBe(3)
    let throws = 0
    expect(
      await waitFor(
        () => {
          if (++throws < 2) throw new Error('not yet')
          return true
        },
        { timeoutMs: 2_000, intervalMs: 1 },
      ),
    ).toBe(true)
    await expect(waitFor(() => false, { timeoutMs: 30, label: 'the moon to turn blue' })).rejects.toThrow(/the moon to turn blue/)
    await expect(waitFor(() => new Promise<never>(() => undefined), { timeoutMs: 30, label: 'a hung check' })).rejects.toThrow(
      /a hung check/,
    )
  })

  it('makeTempDir creates a directory that cleanup removes', async () => {
    const dir = makeTempDir('stablepay devnet/test')
    writeFileSync(join(dir.path, 'a.txt'), 'x')
    expect(existsSync(join(dir.path, 'a.txt'))).toBe(true)
    await dir.cleanup()
    expect(existsSync(dir.path)).toBe(false)
    await dir.cleanup()
  })

  it('getFreePort returns a bindable loopback port', async () => {
    const port = await getFreePort()
    expect(port).toBeGreaterThan(0)
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ port, host: '127.0.0.1' }, resolve)
    })
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
})
