/**
 * The owner role, the PIN and the audit log (#13), on a real app (every
 * feature's handlers, as the screens reach them) over real SQLite files.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, InputOf, OutputOf, Result } from '../../src-preload/contract'
import { CHANNEL_ROLES, CHANNELS } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { createEngine, ManualClock } from '../../src-main/engine'
import type { Caller } from '../../src-main/engine/handlers'
import { FIRST_LOCKOUT_MS, OWNER_IDLE_MS, PIN_TRIES } from '../../src-main/engine/owner'
import { verifyWebhook } from '../../src-main/engine/webhooks/verify'
import { filterFromQuery } from '../../src-main/http/exportRoute'
import { dump } from '../support/dump'
import { paySale } from '../support/paySale'
import { startHttpReceiver } from '../support/httpReceiver'
import type { HttpReceiver } from '../support/httpReceiver'
import { MERCHANT_ID, SHOP_ADDRESS, shopConfig } from '../support/shopConfig'
import type { ShopConfig, ShopConfigOptions } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from '../unit/fixtures-xpub'

const PIN = '246810'
const KEY = 'sk_test_owner_test_key_000000000000001'
const HOOK_SECRET = 'whsec_owner_test_secret_0000000001'
/** anvil accounts 2 and 3: a new receiving address, and someone else's wallet. */
const NEW_ADDRESS = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const THIEF = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
const TILL: Caller = { device: 'till-1' }
const OFFICE: Caller = { device: 'back-office' }
/** The desktop window, on the machine itself. */
const DESK: Caller = { device: 'local' }

let dir: TempDir | undefined
let app: App | undefined
let receiver: HttpReceiver | undefined
afterEach(async () => {
  await app?.stop()
  await receiver?.stop()
  await dir?.cleanup()
  app = undefined
  receiver = undefined
  dir = undefined
})

async function open(config: ShopConfig, clock = new ManualClock()): Promise<{ app: App; clock: ManualClock; dir: TempDir }> {
  dir ??= makeTempDir('stablepay-owner')
  app = await startApp({ dataDir: dir.path, config, clock })
  return { app, clock, dir }
}

async function call<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller): Promise<OutputOf<C>> {
  const result = await app!.handlers.invoke(channel, input, caller)
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), result.error)
  return result.value
}

async function failure<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller) {
  const result: Result<OutputOf<C>> = await app!.handlers.invoke(channel, input, caller)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error
}

type OwnerChannel = { [C in Channel]: (typeof CHANNEL_ROLES)[C] extends 'owner' ? C : never }[Channel]

/**
 * For each owner channel, a request the owner could make and that would change
 * (or reveal) something. Typed over every owner channel: a new one without a
 * sample does not compile, so the walk below cannot skip it.
 */
const OWNER_SAMPLES: { [C in OwnerChannel]: InputOf<C> } = {
  'setup:complete': { name: 'Thief Cafe', currency: 'USD', receive: { mode: 'address', address: THIEF }, accept: ['31337:USDC'], livemode: false },
  'settings:update': { livemode: true, auto_new_sale_seconds: 0 },
  'merchant:update': { receive: { mode: 'address', address: THIEF } },
  'sessions:timeline': { id: 'ps_unknown' },
  'sessions:export-csv': {},
  'transfers:list': {},
  'transfers:assign': { chain_id: 31337, tx_hash: `0x${'ab'.repeat(32)}`, log_index: 0, session_id: 'ps_unknown' },
  'chains:update': { chain_id: 31337, confirmations: 7 },
  'rates:set-manual': { currency: 'EUR', rate: '9.99' },
  'rates:refresh': undefined,
  'api-keys:list': undefined,
  'api-keys:create': { livemode: false },
  'api-keys:revoke': { id: 'key_unknown' },
  'api-keys:rotate-secret': { id: 'key_unknown' },
  'api-keys:set-signed-only': { id: 'key_unknown', signed_only: true },
  'webhooks:endpoints': undefined,
  'webhooks:create-endpoint': { url: 'http://127.0.0.1:9/thief' },
  'webhooks:update-endpoint': { id: 'we_unknown', enabled: false },
  'webhooks:deliveries': {},
  'webhooks:attempts': { delivery_id: 'whd_unknown' },
  'webhooks:redeliver': { delivery_id: 'whd_unknown' },
  'webhooks:send-test': { endpoint_id: 'we_unknown' },
  'backups:state': undefined,
  'backups:create': undefined,
  'backups:update': { daily_at: '03:00', copy_to: '/tmp' },
  'support:export-diagnostics': undefined,
  'sessions:acknowledge-reversal': { id: 'ps_unknown' },
  'audit:list': {},
  'audit:export-csv': {},
  'refunds:refundable': { session_id: 'ps_unknown' },
  'refunds:create': { session_id: 'ps_unknown', amount: '1.00', refund_id: 'thief-1' },
  'refunds:get': { id: 're_unknown' },
  'refunds:list': {},
  'refunds:cancel': { id: 're_unknown' },
  'refunds:prove': { id: 're_unknown', tx_hash: `0x${'cd'.repeat(32)}` },
  'refunds:export-csv': {},
  'backups:restore': { file: 'stablepay-backup-unknown.sqlite' },
  'api-server:state': undefined,
  'api-server:update': { enabled: true, port: 18080 },
  'devices:list': undefined,
  'devices:update': { id: 'local', name: 'Thief till' },
  'devices:revoke': { id: 'local' },
  'devices:pair': {},
  'tills:create': { name: 'Thief till' },
  'tills:update': { id: 'till_1', name: 'Thief till' },
  // Catalog and cart (#17)
  'products:create': { name: 'Free lunch', price: '0.01' },
  'products:update': { id: 'prod_unknown', price: '0.01' },
  'products:delete': { id: 'prod_unknown' },
  'products:import-csv': { csv: 'name,price\r\nFree lunch,0.01\r\n' },
  'products:export-csv': undefined,
  'sessions:export-line-items-csv': {},
}

const withPin = (extra: ShopConfigOptions = {}) =>
  shopConfig({
    keys: [KEY],
    webhooks: [{ merchantId: MERCHANT_ID, url: 'http://127.0.0.1:9/hook', secret: HOOK_SECRET, events: ['*'] }],
    ownerPin: PIN,
    ...extra,
  })

describe('roles', () => {
  it('every channel of the contract declares cashier or owner', () => {
    for (const channel of CHANNELS) expect(['cashier', 'owner'], channel).toContain(CHANNEL_ROLES[channel])
    expect(Object.keys(CHANNEL_ROLES).sort()).toEqual([...CHANNELS].sort())
    // The walk below covers exactly the owner channels.
    expect(Object.keys(OWNER_SAMPLES).sort()).toEqual(CHANNELS.filter((c) => CHANNEL_ROLES[c] === 'owner').sort())
  })

  it('a cashier-role call to each owner channel is refused with owner_required and changes nothing', async () => {
    const { app, dir } = await open(withPin())
    expect(app.handlers.missing()).toEqual([])
    // Another device unlocking does not make this one owner.
    await call('owner:unlock', { pin: PIN }, OFFICE)
    const before = dump(dir.path)
    for (const channel of Object.keys(OWNER_SAMPLES) as OwnerChannel[]) {
      const error = await failure(channel, OWNER_SAMPLES[channel] as never, TILL)
      expect(error.code, channel).toBe('owner_required')
    }
    expect(dump(dir.path)).toEqual(before)
    expect((await call('owner:status', undefined, TILL)).role).toBe('cashier')

    // The samples are real changes: the owner's same calls go through.
    expect((await call('merchant:update', { receive: { mode: 'address', address: THIEF } }, OFFICE)).receive.address).toBe(THIEF)
    expect(await call('api-keys:create', { livemode: false }, OFFICE)).toHaveProperty('secret')
    expect(dump(dir.path)).not.toEqual(before)
  })

  it('the owner role holds for 5 minutes of inactivity, each owner action extends it, and Lock ends it', async () => {
    const { clock } = await open(withPin())
    expect((await failure('api-keys:list', undefined, TILL)).code).toBe('owner_required')
    const status = await call('owner:unlock', { pin: PIN }, TILL)
    expect(status).toMatchObject({ role: 'owner', pin_set: true, locked_out_until: null })
    clock.advance(OWNER_IDLE_MS - 1000)
    await call('api-keys:list', undefined, TILL)
    clock.advance(OWNER_IDLE_MS - 1000)
    await call('api-keys:list', undefined, TILL)
    clock.advance(OWNER_IDLE_MS + 1)
    expect((await failure('api-keys:list', undefined, TILL)).code).toBe('owner_required')
    await call('owner:unlock', { pin: PIN }, TILL)
    await call('owner:lock', undefined, TILL)
    expect((await failure('api-keys:list', undefined, TILL)).code).toBe('owner_required')
  })

  it('a shop without a PIN: only the desktop window is the owner; another device can neither act as owner nor take the role by choosing the PIN', async () => {
    await open(shopConfig({ keys: [KEY] }))
    expect(await call('owner:status', undefined, TILL)).toMatchObject({ role: 'cashier', pin_set: false })
    expect((await failure('api-keys:list', undefined, TILL)).code).toBe('owner_required')
    expect((await failure('merchant:update', { receive: { mode: 'address', address: THIEF } }, TILL)).code).toBe('owner_required')
    expect((await failure('owner:set-pin', { pin: '135791' }, TILL)).code).toBe('pin_set_on_machine')
    expect(await call('owner:status', undefined, TILL)).toMatchObject({ role: 'cashier', pin_set: false })
    expect(app!.engine.merchants.first()?.receive.address).toBe(SHOP_ADDRESS)

    expect(await call('owner:status', undefined, DESK)).toMatchObject({ role: 'owner', pin_set: false })
    await call('api-keys:list', undefined, DESK)
    const set = await call('owner:set-pin', { pin: PIN }, DESK)
    expect(set.recovery_code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/)
    expect(set.status).toMatchObject({ role: 'owner', pin_set: true, recovery_code_set: true })
    expect((await failure('api-keys:list', undefined, TILL)).code).toBe('owner_required')
    // A second "first PIN" is a change: it needs the current one.
    expect((await failure('owner:set-pin', { pin: '135791' }, TILL)).code).toBe('parameter_missing')
    expect((await failure('owner:set-pin', { current: '000000', pin: '135791' }, TILL)).code).toBe('pin_wrong')
    await call('owner:unlock', { pin: PIN }, TILL)
    await call('api-keys:list', undefined, TILL)
  })

  it('the first-run wizard (no shop yet) sets the first PIN from any signed-in device, and becomes the owner that sets up the shop', async () => {
    await open(shopConfig({ merchant: null }))
    const shop: InputOf<'setup:complete'> = {
      name: 'Corner Cafe',
      currency: 'USD',
      receive: { mode: 'address', address: SHOP_ADDRESS },
      accept: ['31337:USDC'],
      livemode: false,
    }
    expect((await failure('setup:complete', shop, TILL)).code).toBe('owner_required')
    expect((await call('owner:set-pin', { pin: PIN }, TILL)).status).toMatchObject({ role: 'owner', pin_set: true })
    expect((await call('setup:complete', shop, TILL)).name).toBe('Corner Cafe')
    expect((await failure('api-keys:list', undefined, OFFICE)).code).toBe('owner_required')
  })

  it("a cashier's sales list and totals are today's only, in the shop's time zone", async () => {
    const { clock } = await open(withPin({ merchant: { timeZone: 'Asia/Shanghai' } }))
    const yesterday = await call('sessions:create', { amount: '1.00' }, TILL)
    clock.advance(24 * 3600_000)
    const today = await call('sessions:create', { amount: '2.00' }, TILL)
    const asCashier = await call('sessions:list', {}, TILL)
    expect(asCashier.data.map((s) => s.id)).toEqual([today.id])
    // Asking for an older range explicitly changes nothing.
    expect((await call('sessions:list', { created_gte: 0, created_lt: today.created_at }, TILL)).data).toEqual([])
    expect((await call('sessions:totals', {}, TILL)).every((t) => t.count === 1)).toBe(true)
    await call('owner:unlock', { pin: PIN }, OFFICE)
    expect((await call('sessions:list', {}, OFFICE)).data.map((s) => s.id)).toEqual([today.id, yesterday.id])
  })
  it("a cashier's sales list and totals are their own till's only, whatever till they ask for", async () => {
    const { app } = await open(withPin())
    const till2 = app.engine.devices.createTill('Till 2')
    const at1: Caller = { device: app.engine.devices.create({ till: 'till_1' }).device.id }
    const at2: Caller = { device: app.engine.devices.create({ till: till2.id }).device.id }
    const sale1 = await call('sessions:create', { amount: '1.00' }, at1)
    const sale2 = await call('sessions:create', { amount: '2.00' }, at2)
    expect([sale1.till, sale2.till]).toEqual(['till_1', till2.id])
    paySale(app.engine, sale1)
    paySale(app.engine, sale2)
    expect((await call('sessions:list', {}, at1)).data.map((s) => s.id)).toEqual([sale1.id])
    expect((await call('sessions:list', {}, at2)).data.map((s) => s.id)).toEqual([sale2.id])
    expect((await call('sessions:list', { till: till2.id }, at1)).data.map((s) => s.id)).toEqual([sale1.id])
    const counted = async (caller: Caller) => (await call('sessions:totals', {}, caller)).reduce((n, t) => n + t.count, 0)
    expect(await counted(at1)).toBe(1)
    expect(await counted(at2)).toBe(1)
    // The owner sees every till, and filters by one (the CSV export's query too).
    await call('owner:unlock', { pin: PIN }, OFFICE)
    expect((await call('sessions:list', {}, OFFICE)).data).toHaveLength(2)
    expect((await call('sessions:list', { till: till2.id }, OFFICE)).data.map((s) => s.id)).toEqual([sale2.id])
    expect(filterFromQuery(new URLSearchParams({ till: till2.id, status: 'COMPLETED' }))).toMatchObject({ till: till2.id })
  })
})

describe('the PIN', () => {
  it('locks out after 5 wrong PINs, doubling, and the lockout survives a restart', async () => {
    const temp = makeTempDir('stablepay-owner-pin')
    dir = temp
    const clock = new ManualClock()
    let engine = createEngine({ dataDir: temp.path, clock })
    await engine.owner.setPin('till-1', { pin: PIN })
    engine.owner.lock('till-1')
    for (let i = 1; i < PIN_TRIES; i++) await expect(engine.owner.unlock('till-1', '111111')).rejects.toMatchObject({ code: 'pin_wrong' })
    await expect(engine.owner.unlock('till-1', '111111')).rejects.toMatchObject({ code: 'pin_locked_out' })
    // Even the right PIN is not checked while locked out.
    await expect(engine.owner.unlock('till-1', PIN)).rejects.toMatchObject({ code: 'pin_locked_out' })

    engine.close()
    engine = createEngine({ dataDir: temp.path, clock })
    expect(engine.owner.status('till-1')).toMatchObject({ role: 'cashier', locked_out_until: Math.ceil((clock.now() + FIRST_LOCKOUT_MS) / 1000) })
    await expect(engine.owner.unlock('till-1', PIN)).rejects.toMatchObject({ code: 'pin_locked_out' })

    clock.advance(FIRST_LOCKOUT_MS)
    // One more wrong PIN after the lockout: locked again, twice as long.
    await expect(engine.owner.unlock('till-1', '111111')).rejects.toMatchObject({ code: 'pin_locked_out' })
    expect(engine.owner.status('till-1').locked_out_until).toBe(Math.ceil((clock.now() + 2 * FIRST_LOCKOUT_MS) / 1000))
    clock.advance(2 * FIRST_LOCKOUT_MS)
    expect((await engine.owner.unlock('till-1', PIN)).role).toBe('owner')
    // The right PIN starts the count again.
    expect(engine.owner.status('till-1').locked_out_until).toBeNull()
    engine.close()
  })

  it('tries sent at the same time are counted before they are hashed: at most 5 are judged, then the lockout holds', async () => {
    const { app } = await open(withPin())
    const wrong = Array.from({ length: 50 }, (_, i) => app.handlers.invoke('owner:unlock', { pin: String(100000 + i) }, TILL))
    // The right PIN, sent after them but before any of them is answered, is refused like them.
    const right = app.handlers.invoke('owner:unlock', { pin: PIN }, TILL)
    const answers = await Promise.all([...wrong, right])
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code))
    expect(codes.filter((c) => c === 'pin_wrong')).toHaveLength(PIN_TRIES - 1)
    expect(codes.filter((c) => c === 'pin_locked_out')).toHaveLength(answers.length - (PIN_TRIES - 1))
    expect(codes.at(-1)).toBe('pin_locked_out')
    expect((await call('owner:status', undefined, TILL)).role).toBe('cashier')
  })

  it('recovery codes sent at the same time are counted before they are hashed too', async () => {
    await open(shopConfig({ keys: [KEY] }))
    const { recovery_code } = await call('owner:set-pin', { pin: PIN }, DESK)
    await call('owner:lock', undefined, DESK)
    const guesses = Array.from({ length: 30 }, (_, i) =>
      app!.handlers.invoke('owner:reset-pin', { recovery_code: `AAAAA-AAAAA-AAAAA-A${'ABCDEFGHJKMNPQRSTUVWXYZ2345678'[i]}AAA`, pin: '999999' }, TILL),
    )
    const real = app!.handlers.invoke('owner:reset-pin', { recovery_code: recovery_code!, pin: '999999' }, TILL)
    const codes = (await Promise.all([...guesses, real])).map((a) => (a.ok ? 'ok' : a.error.code))
    expect(codes.filter((c) => c === 'recovery_code_wrong')).toHaveLength(PIN_TRIES - 1)
    expect(codes.filter((c) => c === 'pin_locked_out')).toHaveLength(codes.length - (PIN_TRIES - 1))
    expect(codes.at(-1)).toBe('pin_locked_out')
    expect((await call('owner:status', undefined, TILL)).role).toBe('cashier')
  })

  it('is stored as a salted scrypt hash, and a recovery code resets it once', async () => {
    const { dir } = await open(shopConfig({ keys: [KEY] }))
    const { recovery_code } = await call('owner:set-pin', { pin: PIN }, DESK)
    const stored = JSON.stringify(dump(dir.path).owner_pin)
    expect(stored).not.toContain(PIN)
    expect(stored).not.toContain(recovery_code!.replace(/-/g, ''))
    await call('owner:lock', undefined, DESK)
    const reset = await call('owner:reset-pin', { recovery_code: recovery_code!.toLowerCase(), pin: '135791' }, OFFICE)
    expect(reset.status.role).toBe('owner')
    expect(reset.recovery_code).not.toBe(recovery_code)
    // The used code is spent.
    expect((await failure('owner:reset-pin', { recovery_code: recovery_code!, pin: '999999' }, TILL)).code).toBe('recovery_code_wrong')
    await call('owner:unlock', { pin: '135791' }, TILL)
  })
})

describe('the audit log', () => {
  it('records each kind of change, from the screens and the config file, with no secret in it', async () => {
    const clock = new ManualClock()
    receiver = await startHttpReceiver()
    await open(withPin(), clock)
    await call('owner:unlock', { pin: PIN }, OFFICE)
    const secrets: string[] = [PIN, KEY, HOOK_SECRET]

    await call('merchant:update', { receive: { mode: 'address', address: ANVIL_ADDRESSES[1]! } }, OFFICE)
    await call('merchant:update', { receive: { mode: 'xpub', xpub: ANVIL_XPUB } }, OFFICE)
    await call('chains:update', { chain_id: 31337, confirmations: 3, rpc_urls: ['https://rpc.example/v3/0123456789abcdef0123456789abcdef'] }, OFFICE)
    const key = await call('api-keys:create', { livemode: false }, OFFICE)
    secrets.push(key.secret, key.api_secret)
    // Signed requests (#12): a new API secret and "signed requests only" are recorded, never the secret.
    secrets.push((await call('api-keys:rotate-secret', { id: key.id }, OFFICE)).api_secret)
    await call('api-keys:set-signed-only', { id: key.id, signed_only: true }, OFFICE)
    await call('api-keys:revoke', { id: key.id }, OFFICE)
    const endpoint = await call('webhooks:create-endpoint', { url: `${receiver.url}/hook?token=letmein0123456789` }, OFFICE)
    secrets.push(endpoint.secret, 'letmein0123456789', '0123456789abcdef0123456789abcdef')
    await call('webhooks:update-endpoint', { id: endpoint.id, events: ['merchant.updated'] }, OFFICE)
    await call('owner:set-pin', { current: PIN, pin: '135791' }, OFFICE)
    secrets.push('135791')
    await call('owner:lock', undefined, OFFICE)
    // A cashier's call is refused: no row for it.
    await failure('merchant:update', { name: 'Thief' }, TILL)

    const kinds = (await call('owner:unlock', { pin: '135791' }, OFFICE)) && (await call('audit:list', { limit: 200 }, OFFICE)).data
    const rows = kinds.map((e) => `${e.device} ${e.kind}`)
    for (const expected of [
      'back-office receive',
      'back-office network',
      'back-office api_key.created',
      'back-office api_key.revoked',
      'back-office api_key.updated',
      'back-office webhook.created',
      'back-office webhook.updated',
      'back-office pin.changed',
      'config-file pin.set',
      'config-file receive',
      'config-file webhook.created',
      'config-file api_key.created',
    ])
      expect(rows, expected).toContain(expected)
    expect(rows.filter((r) => r === 'back-office receive')).toHaveLength(2)
    const xpubRow = kinds.find((e) => e.kind === 'receive' && e.after?.mode === 'xpub')!
    expect(xpubRow).toMatchObject({ role: 'owner', before: { mode: 'address', address: ANVIL_ADDRESSES[1] }, after: { xpub: ANVIL_XPUB } })

    // The config file applied again at the next start: the same file adds nothing; a changed one is recorded.
    await app!.stop()
    app = undefined
    // The file names the PIN it was started with: the PIN changed in Settings goes back to it (the file rules what it names).
    await open(withPin({ merchant: { receive: { mode: 'address', address: SHOP_ADDRESS } } }), clock)
    const newSecret = 'whsec_owner_test_secret_0000000002'
    secrets.push(newSecret)
    await app!.stop()
    app = undefined
    await open(
      withPin({ webhooks: [{ merchantId: MERCHANT_ID, url: 'http://127.0.0.1:9/hook', secret: newSecret, events: ['*'] }], ownerPin: '975310' }),
      clock,
    )
    secrets.push('975310')
    await call('owner:unlock', { pin: '975310' }, OFFICE)
    const all = (await call('audit:list', { limit: 200 }, OFFICE)).data
    const fromFile = all.filter((e) => e.device === 'config-file').map((e) => e.kind)
    expect(fromFile.filter((k) => k === 'webhook.updated')).toHaveLength(1)
    expect(all.find((e) => e.kind === 'webhook.updated' && e.device === 'config-file')?.after).toEqual({ secret_replaced: true })
    expect(fromFile.filter((k) => k === 'pin.reset')).toHaveLength(2)
    expect(fromFile.filter((k) => k === 'receive')).toHaveLength(2)

    const everything = JSON.stringify(dump(dir!.path).audit_log) + (await call('audit:list', { limit: 200 }, OFFICE)).data.map((e) => JSON.stringify(e)).join()
    for (const secret of secrets) expect(everything, 'a secret in the audit log').not.toContain(secret)
    const csv = await fetchCsv()
    for (const secret of secrets) expect(csv, 'a secret in the CSV').not.toContain(secret)
    expect(csv.split('\r\n')[0]).toBe('\uFEFFtime,device,role,change,subject,before,after')

    // Append-only: the database itself refuses to rewrite or delete a row.
    expect(() => app!.engine.db.prepare("UPDATE audit_log SET device = 'nobody'").run()).toThrow(/append-only/)
    expect(() => app!.engine.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })

  it('records each changed setting, old → new, and the switch between test and real money (#15)', async () => {
    await open(withPin())
    await call('owner:unlock', { pin: PIN }, OFFICE)
    const before = await call('settings:get', undefined, OFFICE)
    await call('settings:update', { livemode: true }, OFFICE)
    await call('settings:update', { theme: 'dark', confirm_amount_above: '250', sound_on_paid: before.sound_on_paid }, OFFICE)
    // Saving what is already stored changes nothing, and records nothing.
    await call('settings:update', { theme: 'dark' }, OFFICE)
    // Refused (a cashier, or a bad value): nothing changed, nothing recorded.
    await failure('settings:update', { livemode: false }, TILL)
    await failure('settings:update', { theme: 'pink' as 'dark' }, OFFICE)

    // The Audit screen's channel lists them, newest first, under their own kind.
    const rows = (await call('audit:list', { kind: 'settings' }, OFFICE)).data
    expect(rows.map((e) => ({ device: e.device, role: e.role, subject: e.subject, before: e.before, after: e.after }))).toEqual([
      { device: 'back-office', role: 'owner', subject: null, before: { theme: 'system', confirm_amount_above: '1000' }, after: { theme: 'dark', confirm_amount_above: '250' } },
      { device: 'back-office', role: 'owner', subject: null, before: { livemode: false }, after: { livemode: true } },
    ])
    expect(await fetchCsv()).toContain('back-office,owner,settings,,"{""livemode"":false}","{""livemode"":true}"')
  })

  it('filters by kind and pages, newest first', async () => {
    await open(withPin())
    await call('owner:unlock', { pin: PIN }, OFFICE)
    for (const confirmations of [2, 3, 4]) await call('chains:update', { chain_id: 31337, confirmations }, OFFICE)
    const first = await call('audit:list', { kind: 'network', limit: 2 }, OFFICE)
    expect(first.data.map((e) => e.after?.confirmations)).toEqual([4, 3])
    expect(first.has_more).toBe(true)
    const next = await call('audit:list', { kind: 'network', limit: 2, starting_after: first.next_cursor! }, OFFICE)
    expect(next.data[0]?.after?.confirmations).toBe(2)
    expect((await call('audit:list', { device: 'nobody' }, OFFICE)).data).toEqual([])
  })

  it('a receiving-address change is announced to the cashier for 24 hours and sent to the back office as a signed merchant.updated', async () => {
    receiver = await startHttpReceiver()
    const { clock } = await open(
      withPin({ webhooks: [{ merchantId: MERCHANT_ID, url: `${receiver.url}/hook`, secret: HOOK_SECRET, events: ['merchant.updated'] }] }),
    )
    expect(await call('owner:notices', undefined, TILL)).toEqual([])
    await call('owner:unlock', { pin: PIN }, OFFICE)
    const merchant = await call('merchant:update', { receive: { mode: 'address', address: NEW_ADDRESS } }, OFFICE)
    const notices = await call('owner:notices', undefined, TILL)
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'receive_changed',
        device: 'back-office',
        before: { mode: 'address', address: SHOP_ADDRESS },
        after: { mode: 'address', address: NEW_ADDRESS },
      }),
    ])

    const [request] = await receiver.waitFor((r) => r.length >= 1, 10_000, 'merchant.updated')
    const event = verifyWebhook<typeof merchant>(request!.body, request!.headers as never, HOOK_SECRET, { toleranceSeconds: 10 ** 9 })
    expect(event.type).toBe('merchant.updated')
    expect(event.data.object).toEqual(merchant)

    clock.advance(24 * 3600_000 + 1000)
    expect(await call('owner:notices', undefined, TILL)).toEqual([])
  })
})

/** The audit log's CSV as the export writes it. */
async function fetchCsv(): Promise<string> {
  const { auditCsv } = await import('../../src-main/engine/owner')
  return auditCsv(app!.engine, {}).text
}
