import { afterEach, describe, expect, it } from 'vitest'
import type { Channel } from '../../src-preload/contract'
import { CHANNELS } from '../../src-preload/contract'
import { INPUT_SCHEMAS } from '../../src-preload/schemas'
import { createHandlerRegistry, HandlerRegistry } from '../../src-main/engine/handlers'
import { createSessionSchema } from '../../src-main/http/schemas'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'
import { dump } from '../support/dump'

let shop: Shop | undefined
afterEach(() => {
  shop?.close()
  shop = undefined
})

/** Every row of every table, to prove a refused request wrote nothing. */
const dumpShop = (s: Shop) => dump(s.dir)

// No channel takes a bare number, a string or a list; a channel without input takes no object either.
const WRONG_SHAPES: unknown[] = [42, 'text', [1], true]
const VOID_CHANNELS = CHANNELS.filter((c) => INPUT_SCHEMAS[c].safeParse(undefined).success && !INPUT_SCHEMAS[c].safeParse({}).success)

describe('one schema per channel', () => {
  it('every channel of the contract has an input schema', () => {
    expect(CHANNELS.filter((c) => !INPUT_SCHEMAS[c])).toEqual([])
    expect(Object.keys(INPUT_SCHEMAS).sort()).toEqual([...CHANNELS].sort())
    expect(VOID_CHANNELS).toContain('app:info')
  })

  it('a wrong-shape input to any channel is parameter_invalid, and its handler never runs', async () => {
    const registry = new HandlerRegistry()
    const ran: Channel[] = []
    for (const channel of CHANNELS)
      registry.register(channel, (() => {
        ran.push(channel)
        throw new Error('the handler ran')
      }) as never)
    for (const channel of CHANNELS) {
      for (const input of [...WRONG_SHAPES, ...(VOID_CHANNELS.includes(channel) ? [{}] : [])]) {
        const result = await registry.invoke(channel, input as never)
        expect(result, `${channel} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'parameter_invalid' } })
      }
    }
    expect(ran).toEqual([])
  })

  it('with the real handlers, a wrong-shape input changes nothing in the shop', async () => {
    shop = openShop()
    const registry = createHandlerRegistry(shop.engine)
    const before = dumpShop(shop)
    for (const channel of CHANNELS.filter((c) => registry.has(c)))
      for (const input of WRONG_SHAPES) expect((await registry.invoke(channel, input as never)).ok, channel).toBe(false)
    expect(dumpShop(shop)).toEqual(before)
  })
})

describe('lists', () => {
  it('a page holds 1 to 100 sessions, 1 to 500 transfers or deliveries', () => {
    const param = (channel: Channel, input: unknown) => {
      const r = INPUT_SCHEMAS[channel].safeParse(input)
      return r.success ? null : r.error.issues[0]?.path.join('.')
    }
    expect(param('sessions:list', { limit: 101 })).toBe('limit')
    expect(param('sessions:list', { limit: 0 })).toBe('limit')
    expect(param('sessions:list', { limit: 100 })).toBeNull()
    expect(param('transfers:list', { limit: 501 })).toBe('limit')
    expect(param('webhooks:deliveries', { limit: 501 })).toBe('limit')
    expect(param('webhooks:deliveries', { session_id: 7 })).toBe('session_id')
    expect(param('transfers:assign', { chain_id: 1, tx_hash: '0x12', log_index: 0, session_id: 'ps_x' })).toBe('tx_hash')
  })
})

describe('the rules of a new sale, over the bridge and the REST API', () => {
  const bridge = (input: Record<string, unknown>) => INPUT_SCHEMAS['sessions:create'].safeParse({ amount: '1.00', ...input })
  const rest = (input: Record<string, unknown>) =>
    createSessionSchema.safeParse({ merchant_id: 'merchant_123', order_id: 'ok', amount: '1.00', currency: 'USD', ...input })
  const refusal = (parsed: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
    parsed.success ? null : { param: String(parsed.error!.issues[0]!.path[0]), message: parsed.error!.issues[0]!.message }

  it.each([
    [{ order_id: 'x'.repeat(129) }, 'order_id', 'order_id must be 1-128 characters'],
    [{ order_id: 'line\nbreak' }, 'order_id', 'order_id must not contain control characters'],
    [{ order_id: 'nul\u0000' }, 'order_id', 'order_id must not contain control characters'],
    [{ order_id: 'c1\u0085' }, 'order_id', 'order_id must not contain control characters'],
    [{ currency: 'XYZ' }, 'currency', undefined],
    [{ currency: 'usd' }, 'currency', undefined],
    [{ currency: 'toString' }, 'currency', undefined],
    [{ expires_in: 59 }, 'expires_in', 'expires_in must be from 60 to 86400 seconds'],
    [{ expires_in: 86401 }, 'expires_in', 'expires_in must be from 60 to 86400 seconds'],
    [{ expires_in: 1.5 }, 'expires_in', 'expires_in must be a whole number of seconds'],
  ] as const)('refuses %o on both', (input, param, message) => {
    for (const parsed of [bridge(input), rest(input)]) {
      expect(refusal(parsed)?.param, JSON.stringify(input)).toBe(param)
      if (message) expect(refusal(parsed)?.message).toBe(message)
    }
  })

  it('names an unsupported currency in the words each caller always got', () => {
    expect(refusal(bridge({ currency: 'XYZ' }))?.message).toBe('unsupported currency "XYZ"')
    expect(refusal(rest({ currency: 'XYZ' }))?.message).toMatch(/^currency must be one of USD, EUR, /)
  })

  it('the REST API takes metadata within its limits, and the order id as sent', () => {
    expect(refusal(rest({ order_id: '' }))).toEqual({ param: 'order_id', message: 'order_id must be 1-128 characters' })
    const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))
    expect(refusal(rest({ metadata: pairs(21) }))).toEqual({ param: 'metadata', message: 'metadata may hold at most 20 pairs' })
    expect(refusal(rest({ metadata: { n: 1 } }))).toEqual({ param: 'metadata', message: 'metadata values must be strings' })
    expect(refusal(rest({ metadata: { n: 'v'.repeat(501) } }))?.message).toBe('metadata values must be at most 500 characters')
    expect(refusal(rest({ metadata: JSON.parse('{"__proto__":"x"}') as unknown }))?.message).toBe('metadata key "__proto__" is not allowed')
    expect(rest({ metadata: pairs(20) }).success).toBe(true)
  })

  it('over the bridge, an order id is trimmed and a blank one is left for the handler to make up', () => {
    expect(bridge({ order_id: '  table 4 ' })).toMatchObject({ success: true, data: { order_id: 'table 4' } })
    expect(bridge({ order_id: '   ' })).toMatchObject({ success: true, data: { order_id: undefined } })
    expect(bridge({ order_id: null, chain_id: null })).toMatchObject({ success: true, data: { amount: '1.00' } })
  })
})
