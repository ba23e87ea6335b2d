import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, FirstRunInput, InputOf, OutputOf } from '../../src-preload/contract'
import type { Engine } from '../../src-main/engine'
import { createEngine, ManualClock } from '../../src-main/engine'
import { BUILTIN_CHAINS } from '../../src-main/engine/chains'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import type { HandlerRegistry } from '../../src-main/engine/handlers'
import { SHOP_MERCHANT_ID } from '../../src-main/engine/handlers/shop'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from './fixtures-xpub'
import { SHOP_ADDRESS, USDC6, USDT18 } from './engineFixture'

interface Till {
  engine: Engine
  registry: HandlerRegistry
  dir: string
}
let till: Till | undefined
afterEach(() => {
  till?.engine.close()
  if (till) rmSync(till.dir, { recursive: true, force: true })
  till = undefined
})

/** A fresh engine on a real SQLite file, with the handler registry the UI talks to. */
function openTill(): Till {
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-shop-'))
  const engine = createEngine({ dataDir: dir, clock: new ManualClock() })
  till = { engine, registry: createHandlerRegistry(engine), dir }
  return till
}

async function call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await till!.registry.invoke(channel, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}

async function failure<C extends Channel>(channel: C, input: InputOf<C>) {
  const result = await till!.registry.invoke(channel, input)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error
}

/** Everything a shop's database holds that setup writes. */
function snapshot(engine: Engine) {
  const rows = (sql: string) => engine.db.prepare(sql).all()
  return {
    merchants: rows('SELECT * FROM merchants'),
    chains: rows('SELECT * FROM chains ORDER BY chain_id'),
    tokens: rows('SELECT * FROM tokens ORDER BY chain_id, symbol'),
    settings: rows('SELECT * FROM settings ORDER BY key'),
  }
}

const firstRun: FirstRunInput = {
  name: 'Corner Café',
  currency: 'EUR',
  receive: { mode: 'address', address: SHOP_ADDRESS.toLowerCase() },
  accept: ['8453:USDC', '137:USDT', '84532:USDC'],
  livemode: true,
}

describe('app:info', () => {
  it('says the shop is not configured until the wizard stored a merchant', async () => {
    openTill()
    expect(await call('app:info', undefined)).toMatchObject({ configured: false, merchant_id: null, devnet: false })
    expect((await call('app:info', undefined)).version).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('setup:complete', () => {
  it('stores merchant, networks and mode in one go, checksumming the address', async () => {
    const { engine } = openTill()
    const merchant = await call('setup:complete', firstRun)
    expect(merchant).toMatchObject({
      id: SHOP_MERCHANT_ID,
      name: 'Corner Café',
      currency: 'EUR',
      receive: { mode: 'address', address: SHOP_ADDRESS },
    })
    expect(await call('app:info', undefined)).toMatchObject({ configured: true, merchant_id: SHOP_MERCHANT_ID, devnet: false })
    expect(engine.settings.get().livemode).toBe(true)

    const accepted = engine.networks.accepted(true).map((a) => `${a.chain.chain_id}:${a.token.symbol}`)
    expect(accepted.sort()).toEqual(['137:USDT', '8453:USDC'])
    // Polygon's USDC is stored (so the owner can tick it later) but not accepted.
    expect(engine.networks.get(137).tokens.find((t) => t.symbol === 'USDC')?.enabled).toBe(false)
    expect(engine.networks.accepted(false).map((a) => `${a.chain.chain_id}:${a.token.symbol}`)).toEqual(['84532:USDC'])
  })

  it('accepts an xpub and sells on the first derived address', async () => {
    const { engine } = openTill()
    await call('setup:complete', { ...firstRun, receive: { mode: 'xpub', xpub: ` ${ANVIL_XPUB}\n` }, livemode: false })
    const session = await call('sessions:create', { amount: '10.00' }).catch((e: Error) => e)
    // EUR needs a rate: the engine says so plainly instead of guessing.
    expect(session).toBeInstanceOf(Error)
    engine.rates.setManual('EUR', '1.08')
    const sale = await call('sessions:create', { amount: '10.00' })
    expect(sale.payment_options[0]).toMatchObject({ chain_id: 84532, token: 'USDC', address: ANVIL_ADDRESSES[0], amount: '10.80' })
  })

  it('writes nothing when the address is wrong, and says exactly what is wrong', async () => {
    const { engine } = openTill()
    const before = snapshot(engine)
    const mixedCaseTypo = SHOP_ADDRESS.slice(0, -1) + 'C'
    const error = await failure('setup:complete', { ...firstRun, receive: { mode: 'address', address: mixedCaseTypo } })
    expect(error).toMatchObject({ code: 'parameter_invalid', message: 'not a valid address: checksum mismatch', param: 'receive.address' })
    expect(snapshot(engine)).toEqual(before)
  })

  it.each([
    [{ name: '   ' }, 'name', /shop name is empty/],
    [{ currency: 'XXX' }, 'currency', /unsupported currency "XXX"/],
    [{ receive: { mode: 'xpub', xpub: 'xprv9s21ZrQH143K' } }, 'receive.xpub', /private/i],
    [{ accept: [] }, 'accept', /at least one network/],
    [{ accept: ['8453:USDT'] }, 'accept', /USDT is not offered on Base/],
    [{ accept: ['999999:USDC'] }, 'accept', /no network with chain id 999999/],
    [{ accept: ['base-usdc'] }, 'accept', /not "chainId:TOKEN"/],
    [{ accept: ['84532:USDC'], livemode: true }, 'livemode', /live mode needs at least one mainnet token/],
    [{ accept: ['8453:USDC'], livemode: false }, 'livemode', /test mode needs at least one testnet token/],
  ] as const)('refuses %o before writing anything', async (patch, param, message) => {
    const { engine } = openTill()
    const before = snapshot(engine)
    const error = await failure('setup:complete', { ...firstRun, ...patch } as FirstRunInput)
    expect(error.param).toBe(param)
    expect(error.message).toMatch(message)
    expect(snapshot(engine)).toEqual(before)
  })

  it('keeps a local devnet from the config and reports it, so "simulate payment" is offered', async () => {
    const { engine } = openTill()
    engine.networks.update({
      chainId: 31337,
      name: 'Local devnet',
      testnet: true,
      rpcUrls: ['http://127.0.0.1:8545'],
      tokens: [
        { symbol: 'USDC', address: USDC6, decimals: 6 },
        { symbol: 'USDT', address: USDT18, decimals: 18 },
      ],
    })
    await call('setup:complete', { ...firstRun, accept: ['31337:USDT'], livemode: false })
    expect((await call('app:info', undefined)).devnet).toBe(true)
    expect(engine.networks.accepted(false).map((a) => a.token.symbol)).toEqual(['USDT'])
  })

  it('running the wizard again updates the same merchant, and the merchant from a config file keeps its id', async () => {
    const { engine } = openTill()
    engine.merchants.upsert({ id: 'merchant_123', name: 'Old name', currency: 'USD', receive: { mode: 'address', address: SHOP_ADDRESS } })
    const merchant = await call('setup:complete', firstRun)
    expect(merchant.id).toBe('merchant_123')
    expect(engine.db.prepare('SELECT count(*) AS n FROM merchants').get()).toEqual({ n: 1 })
  })
})

describe('setup:preview-xpub', () => {
  it('shows the first five addresses of an xpub, as the wallet lists its accounts', async () => {
    openTill()
    const { addresses } = await call('setup:preview-xpub', { xpub: ANVIL_XPUB })
    expect(addresses).toHaveLength(5)
    expect(addresses.slice(0, 2)).toEqual([...ANVIL_ADDRESSES])
  })

  it('checks an 0x address too, returning it checksummed', async () => {
    openTill()
    expect(await call('setup:preview-xpub', { xpub: SHOP_ADDRESS.toLowerCase() })).toEqual({ addresses: [SHOP_ADDRESS] })
    expect(await failure('setup:preview-xpub', { xpub: '0x1234' })).toMatchObject({
      message: 'not a valid address: must be 0x followed by 40 hex characters',
    })
  })

  it("passes on the engine's exact xpub messages", async () => {
    openTill()
    const typo = ANVIL_XPUB.slice(0, 20) + (ANVIL_XPUB[20] === 'a' ? 'b' : 'a') + ANVIL_XPUB.slice(21)
    expect((await failure('setup:preview-xpub', { xpub: typo })).message).toMatch(/^not a valid xpub: /)
    expect((await failure('setup:preview-xpub', { xpub: '' })).message).toMatch(/nothing was entered/)
  })
})

describe('settings, merchant, networks', () => {
  it('remembers the language and refuses a bad one', async () => {
    openTill()
    expect((await call('settings:update', { language: 'zh-CN' })).language).toBe('zh-CN')
    expect((await call('settings:get', undefined)).language).toBe('zh-CN')
    expect(await failure('settings:update', { language: 'fr' as 'en' })).toMatchObject({ param: 'language' })
    expect(await failure('settings:update', null as unknown as object)).toMatchObject({ code: 'parameter_invalid' })
  })

  it('merchant:get needs setup first; merchant:update validates and keeps the rest', async () => {
    openTill()
    expect(await failure('merchant:get', undefined)).toMatchObject({ code: 'setup_required' })
    await call('setup:complete', firstRun)
    const updated = await call('merchant:update', { name: 'Café d’angle', session_ttl_seconds: 600 })
    expect(updated).toMatchObject({ name: 'Café d’angle', currency: 'EUR', session_ttl_seconds: 600, receive: { address: SHOP_ADDRESS } })
    const bad = await failure('merchant:update', { receive: { mode: 'address', address: '0xdead' } })
    expect(bad).toMatchObject({ param: 'receive.address' })
    expect((await call('merchant:get', undefined)).receive.address).toBe(SHOP_ADDRESS)
  })

  it('chains:list offers every built-in network, stored ones with their settings', async () => {
    openTill()
    const before = await call('chains:list', undefined)
    expect(before.map((c) => c.chain_id).sort()).toEqual(BUILTIN_CHAINS.map((c) => c.chainId).sort())
    expect(before.every((c) => !c.enabled)).toBe(true)
    // Mainnets first.
    expect(before.findIndex((c) => c.testnet)).toBe(before.filter((c) => !c.testnet).length)
    await call('setup:complete', firstRun)
    const after = await call('chains:list', undefined)
    expect(after.find((c) => c.chain_id === 8453)).toMatchObject({ enabled: true, tokens: [{ symbol: 'USDC', enabled: true }] })
  })

  it('chains:update changes one field and refuses a bad RPC URL with its reason', async () => {
    openTill()
    await call('setup:complete', firstRun)
    expect((await call('chains:update', { chain_id: 8453, confirmations: 3 })).confirmations).toBe(3)
    const error = await failure('chains:update', { chain_id: 8453, rpc_urls: ['wss://example.org'] })
    expect(error.message).toMatch(/WebSocket URL/)
    expect((await call('chains:list', undefined)).find((c) => c.chain_id === 8453)?.rpc_urls).toEqual(['https://mainnet.base.org'])
  })
  it("chains:list shows a cashier each endpoint's origin only, and the owner the full URL", async () => {
    const { engine, registry } = openTill()
    await call('setup:complete', firstRun)
    const rpc = 'https://base-mainnet.g.alchemy.com/v2/SECRET_RPC_KEY?token=SECRET_QUERY'
    const ws = 'wss://base-mainnet.g.alchemy.com/v2/SECRET_WS_KEY'
    await call('chains:update', { chain_id: 8453, rpc_urls: [rpc], ws_urls: [ws] })
    // The first PIN is set in the desktop window (#13); the back office then unlocks with it.
    await engine.owner.setPin('local', { pin: '246810' })
    await engine.owner.unlock('office', '246810')
    const cashier = { device: 'till-1' }
    const owner = { device: 'office' }
    const list = async (caller: { device: string }) => {
      const result = await registry.invoke('chains:list', undefined, caller)
      if (!result.ok) throw new Error(result.error.message)
      return result.value
    }
    const seen = await list(cashier)
    expect(seen.find((c) => c.chain_id === 8453)).toMatchObject({
      rpc_urls: ['https://base-mainnet.g.alchemy.com/…'],
      ws_urls: ['wss://base-mainnet.g.alchemy.com/…'],
    })
    expect(JSON.stringify(seen)).not.toMatch(/SECRET/)
    const owners = (await list(owner)).find((c) => c.chain_id === 8453)
    expect(owners).toMatchObject({ rpc_urls: [rpc], ws_urls: [ws] })
  })
})

describe('rates and API keys', () => {
  it('sets, lists and clears a manual rate', async () => {
    openTill()
    const rates = await call('rates:set-manual', { currency: 'EUR', rate: '1.0800' })
    expect(rates).toEqual([{ currency: 'EUR', rate: '1.08', source: 'manual', as_of: expect.any(Number), age_seconds: 0, stale: false, stale_at: null, stale_soon: false, active: true }])
    expect(await failure('rates:set-manual', { currency: 'USD', rate: '1' })).toMatchObject({ param: 'currency' })
    expect(await failure('rates:set-manual', { currency: 'EUR', rate: 'abc' })).toMatchObject({ code: 'rate_invalid' })
    expect(await call('rates:set-manual', { currency: 'EUR', rate: null })).toEqual([])
  })

  it('creates a key shown once, lists it by hint only, revokes it', async () => {
    openTill()
    await call('setup:complete', firstRun)
    const key = await call('api-keys:create', { livemode: false })
    expect(key.secret).toMatch(/^sk_test_[0-9a-f]{64}$/)
    const listed = await call('api-keys:list', undefined)
    expect(listed).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain(key.secret)
    expect(till!.engine.apiKeys.authenticate(key.secret)).not.toBeNull()
    expect((await call('api-keys:revoke', { id: key.id })).revoked_at).not.toBeNull()
    expect(till!.engine.apiKeys.authenticate(key.secret)).toBeNull()
    expect(await failure('api-keys:create', { livemode: 'yes' as unknown as boolean })).toMatchObject({ param: 'livemode' })
  })
})
