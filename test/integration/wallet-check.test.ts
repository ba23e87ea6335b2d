/**
 * The receiving address is a wallet (#15) on every path that stores it: the
 * settings screen's `merchant:update` and the wizard's `setup:complete` ask
 * the chain (real anvil, the devnet's real ERC-20 contract) before the audited
 * write, and a contract is refused with the plain message, writing nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { startDevnet } from '../support/anvil'
import type { Devnet } from '../support/anvil'
import { SHOP_ADDRESS, shopConfig } from '../support/shopConfig'
import type { ShopConfigOptions } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

/** anvil dev account 2: a plain key-held wallet, another place the shop could be paid. */
const OTHER_WALLET = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'

let devnet: Devnet
let dir: TempDir | undefined
let app: App | undefined

beforeAll(async () => {
  devnet = await startDevnet()
}, 60_000)
afterAll(async () => {
  await devnet?.stop()
})
afterEach(async () => {
  await app?.stop()
  await dir?.cleanup()
  app = undefined
  dir = undefined
})

async function open(options: ShopConfigOptions = {}): Promise<App> {
  dir = makeTempDir('stablepay-wallet-check')
  const chain = { rpcUrls: [devnet.rpcUrl], tokens: [{ symbol: 'USDC', address: devnet.usdc, decimals: 6 }] }
  app = await startApp({ dataDir: dir.path, config: shopConfig({ chain, ...options }) })
  return app
}

async function invoke<C extends Channel>(channel: C, input: InputOf<C>) {
  return app!.handlers.invoke(channel, input)
}

async function value<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await invoke(channel, input)
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
  return result.value
}

const REFUSED = {
  code: 'receive_not_wallet',
  param: 'receive.address',
  message: expect.stringContaining("is a contract on Local (for example a token's own address), not a wallet"),
}

describe('a token contract as the receiving address', () => {
  it('is refused by the settings screen’s save, and nothing is written or audited', async () => {
    await open()
    const auditBefore = (await value('audit:list', {})).data.length

    const result = await invoke('merchant:update', { receive: { mode: 'address', address: devnet.usdc } })
    expect(result).toMatchObject({ ok: false, error: REFUSED })

    const merchant = await value('merchant:get', undefined)
    expect(merchant.receive).toEqual({ mode: 'address', address: SHOP_ADDRESS })
    expect((await value('audit:list', {})).data).toHaveLength(auditBefore)
  })

  it('lets a wallet through, and a save that keeps the stored address does not ask again', async () => {
    await open()
    const saved = await value('merchant:update', { receive: { mode: 'address', address: OTHER_WALLET.toLowerCase() } })
    expect(saved.receive).toEqual({ mode: 'address', address: OTHER_WALLET })
    expect((await value('merchant:update', { name: 'Corner Cafe 2', receive: saved.receive })).name).toBe('Corner Cafe 2')
  })

  it('is refused by the first-run wizard, which leaves the shop unset', async () => {
    await open({ merchant: null })
    const result = await invoke('setup:complete', {
      name: 'Fresh Cafe',
      currency: 'USD',
      receive: { mode: 'address', address: devnet.usdc },
      accept: [`${devnet.chainId}:USDC`],
      livemode: false,
    })
    expect(result).toMatchObject({ ok: false, error: REFUSED })
    expect((await value('app:info', undefined)).configured).toBe(false)

    const done = await value('setup:complete', {
      name: 'Fresh Cafe',
      currency: 'USD',
      receive: { mode: 'address', address: OTHER_WALLET },
      accept: [`${devnet.chainId}:USDC`],
      livemode: false,
    })
    expect(done.receive).toEqual({ mode: 'address', address: OTHER_WALLET })
  })
})
