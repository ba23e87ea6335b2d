/**
 * Products (#17) on a real engine over a real SQLite file: the catalog, its
 * pictures, the CSV import/export round trip, what a cashier sees, and the
 * RFC 4180 reader behind the import.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import { PRODUCT_IMAGE_MAX_BYTES } from '../../src-preload/contract'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import type { Caller, HandlerRegistry } from '../../src-main/engine/handlers'
import { csvRow } from '../../src-main/engine/reports/csv'
import { parseCsv } from '../../src-main/engine/products/csvParse'
import { writeLineItemsCsv } from '../../src-main/engine/reports'
import { uiScope } from '../../src-main/engine/handlers'
import { Writable } from 'node:stream'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

const PNG_1PX =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

let shop: Shop | undefined
afterEach(() => {
  shop?.close()
  shop = undefined
})

const OWNER: Caller = { device: 'local' }
const TILL: Caller = { device: 'till-2' }

async function call<C extends Channel>(registry: HandlerRegistry, channel: C, input: InputOf<C>, caller = OWNER): Promise<OutputOf<C>> {
  const result = await registry.invoke(channel, input, caller)
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), result.error)
  return result.value
}

async function failure<C extends Channel>(registry: HandlerRegistry, channel: C, input: InputOf<C>, caller = OWNER) {
  const result = await registry.invoke(channel, input, caller)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error
}

function open() {
  shop = openShop()
  return { engine: shop.engine, registry: createHandlerRegistry(shop.engine) }
}

describe('products', () => {
  it('are created, listed by category and name, updated and deleted, prices exact in the shop currency', async () => {
    const { registry } = open()
    const latte = await call(registry, 'products:create', { name: 'Latte', name_zh: '拿铁', price: '4.50', category: 'Coffee', tax_rate_bp: 825, color: '#A0522D' })
    expect(latte).toMatchObject({ name: 'Latte', name_zh: '拿铁', price: '4.50', currency: 'USD', category: 'Coffee', color: '#a0522d', tax_rate_bp: 825, active: true, has_image: false })
    await call(registry, 'products:create', { name: 'Americano', price: '3', category: 'Coffee' })
    await call(registry, 'products:create', { name: 'Bag', price: '0.10' })
    expect((await call(registry, 'products:list', {})).map((p) => `${p.name} ${p.price}`)).toEqual(['Americano 3.00', 'Latte 4.50', 'Bag 0.10'])

    const changed = await call(registry, 'products:update', { id: latte.id, price: '4.75', active: false, name_zh: '' })
    expect(changed).toMatchObject({ price: '4.75', active: false, name_zh: null, name: 'Latte' })
    expect((await call(registry, 'products:list', {})).map((p) => p.name)).toEqual(['Americano', 'Bag'])
    expect((await call(registry, 'products:list', { include_inactive: true })).map((p) => p.name)).toEqual(['Americano', 'Latte', 'Bag'])

    expect(await call(registry, 'products:delete', { id: latte.id })).toEqual({ id: latte.id, deleted: true })
    expect((await failure(registry, 'products:update', { id: latte.id, name: 'x' })).code).toBe('resource_missing')
  })

  it('refuse a price with more decimals than the currency, a bad colour, a bad tax rate', async () => {
    const { registry } = open()
    expect(await failure(registry, 'products:create', { name: 'Tea', price: '1.005' })).toMatchObject({ code: 'amount_too_precise', param: 'price' })
    expect(await failure(registry, 'products:create', { name: 'Tea', price: '0' })).toMatchObject({ param: 'price' })
    expect(await failure(registry, 'products:create', { name: 'Tea', price: '1', color: 'red' })).toMatchObject({ param: 'color' })
    expect(await failure(registry, 'products:create', { name: 'Tea', price: '1', tax_rate_bp: 10001 })).toMatchObject({ param: 'tax_rate_bp' })
    expect(await failure(registry, 'products:create', { name: '  ', price: '1' })).toMatchObject({ param: 'name' })
  })

  it('keep a small picture of a checked type, and refuse a big one or one whose bytes are not what it claims', async () => {
    const { registry } = open()
    const p = await call(registry, 'products:create', { name: 'Bun', price: '2.00', image: PNG_1PX })
    expect(p.has_image).toBe(true)
    expect(await call(registry, 'products:image', { id: p.id })).toEqual({ id: p.id, image: PNG_1PX })
    // A JPEG header under a PNG name, and text pretending to be a picture.
    const fakeJpeg = `data:image/png;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]).toString('base64')}`
    expect(await failure(registry, 'products:update', { id: p.id, image: fakeJpeg })).toMatchObject({ code: 'image_invalid', param: 'image' })
    expect(await failure(registry, 'products:update', { id: p.id, image: `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}` })).toMatchObject({ code: 'image_invalid' })
    const big = Buffer.alloc(PRODUCT_IMAGE_MAX_BYTES + 1)
    Buffer.from(PNG_1PX.split(',')[1]!, 'base64').copy(big)
    expect(await failure(registry, 'products:update', { id: p.id, image: `data:image/png;base64,${big.toString('base64')}` })).toMatchObject({ code: 'image_too_large' })
    expect((await call(registry, 'products:update', { id: p.id, image: null })).has_image).toBe(false)
    expect(await call(registry, 'products:image', { id: p.id })).toEqual({ id: p.id, image: null })
  })

  it('export to CSV and import back: the same catalog; formula-looking names survive; one wrong row imports nothing', async () => {
    const { registry } = open()
    await call(registry, 'products:create', { name: 'Tea, green', name_zh: '绿茶', price: '2.50', category: 'Tea', tax_rate_bp: 825 })
    await call(registry, 'products:create', { name: '-5 % voucher "card"', price: '1.00', active: false })
    const exported = await call(registry, 'products:export-csv', undefined)
    expect(exported.rows).toBe(2)
    expect(exported.csv.startsWith('\uFEFFid,name,name_zh,price,category,color,tax_rate,active\r\n')).toBe(true)
    expect(exported.csv).toContain(`"'-5 % voucher ""card"""`)

    // Into another shop: the rows' ids are not its products, so the ids are dropped to add them.
    const before = await call(registry, 'products:list', { include_inactive: true })
    shop!.close()
    const other = open()
    const rows = parseCsv(exported.csv)
    const withoutIds = rows.map((r, i) => (i === 0 ? r : ['', ...r.slice(1)])).map((r) => csvRow(r)).join('')
    expect(await call(other.registry, 'products:import-csv', { csv: withoutIds })).toEqual({ created: 2, updated: 0, errors: [] })
    const after = await call(other.registry, 'products:list', { include_inactive: true })
    const shape = (p: (typeof before)[number]) => [p.name, p.name_zh, p.price, p.category, p.tax_rate_bp, p.active]
    expect(after.map(shape)).toEqual(before.map(shape))

    // Re-import of its own export updates in place.
    const own = await call(other.registry, 'products:export-csv', undefined)
    const edited = own.csv.replace('2.50', '2.75')
    expect(await call(other.registry, 'products:import-csv', { csv: edited })).toEqual({ created: 0, updated: 2, errors: [] })
    expect((await call(other.registry, 'products:list', {})).map((p) => p.price)).toEqual(['2.75'])

    const wrong = 'name,price,tax_rate\r\nScone,3.00,5\r\n"Muffin\r\nbig",abc,5\r\nBagel,2.00,500\r\n'
    const result = await call(other.registry, 'products:import-csv', { csv: wrong })
    expect(result.created + result.updated).toBe(0)
    expect(result.errors.map((e) => e.line)).toEqual([3, 5])
    expect((await call(other.registry, 'products:list', { include_inactive: true })).map((p) => p.name)).not.toContain('Scone')
    expect((await call(other.registry, 'products:import-csv', { csv: 'title,cost\r\nx,1\r\n' })).errors[0]!.message).toMatch(/missing column name, price/)
  })

  it('a cashier lists only active products, never the inactive ones, and the sale screen mode is kept per till', async () => {
    const { engine, registry } = open()
    await call(registry, 'products:create', { name: 'On', price: '1.00' })
    await call(registry, 'products:create', { name: 'Off', price: '1.00', active: false })
    await engine.owner.setPin('local', { pin: '246810' })
    expect((await call(registry, 'products:list', { include_inactive: true }, TILL)).map((p) => p.name)).toEqual(['On'])
    expect((await failure(registry, 'products:create', { name: 'x', price: '1' }, TILL)).code).toBe('owner_required')

    expect(await call(registry, 'sale-mode:get', undefined, TILL)).toEqual({ mode: 'keypad' })
    const till2 = engine.devices.createTill('Till 2')
    engine.db.prepare("INSERT INTO devices (id, name, till_id, role_hint, created_at, last_seen_at) VALUES ('till-2', 'Tablet', ?, 'cashier', 0, 0)").run(till2.id)
    expect(await call(registry, 'sale-mode:set', { mode: 'products' }, TILL)).toEqual({ mode: 'products' })
    expect(await call(registry, 'sale-mode:get', undefined, TILL)).toEqual({ mode: 'products' })
    expect(await call(registry, 'sale-mode:get', undefined, OWNER)).toEqual({ mode: 'keypad' })
  })
})

describe('the line-items export', () => {
  it('has one row per line of each cart sale, the sale figures on its first line only; keypad sales are not in it', async () => {
    const { engine, registry } = open()
    await call(registry, 'sessions:create', { amount: '5.00' })
    await call(registry, 'sessions:create', {
      amount: '9.00',
      line_items: [
        { name: 'Tea, green', unit_amount: '2.50', quantity: 2, product_id: 'prod_tea' },
        { name: '=cmd', unit_amount: '4.50', quantity: 1 },
      ],
      discount_amount: '1.00',
      tax_amount: '0.50',
      tip_amount: '0.00',
    })
    let text = ''
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString('utf8')
        done()
      },
    })
    expect(await writeLineItemsCsv(engine, uiScope(engine), {}, sink)).toEqual({ rows: 2, complete: true })
    const rows = parseCsv(text)
    expect(rows[0]).toEqual(['created', 'session id', 'order id', 'status', 'currency', 'line', 'name', 'product id', 'unit amount', 'quantity', 'line amount', 'sale discount', 'sale tax', 'sale tip', 'sale amount'])
    expect(rows.slice(1).map((r) => r.slice(3))).toEqual([
      ['PENDING', 'USD', '1', 'Tea, green', 'prod_tea', '2.50', '2', '5.00', '1.00', '0.50', '0.00', '9.00'],
      ['PENDING', 'USD', '2', "'=cmd", '', '4.50', '1', '4.50', '', '', '', ''],
    ])
  })
})

describe('the RFC 4180 reader', () => {
  it('reads quotes, doubled quotes, commas and line breaks in fields, CRLF/LF/CR, a BOM; skips blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"two\r\nlines",\r\rlast')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', ''],
      ['last'],
    ])
    expect(() => parseCsv('a,"b\n')).toThrow(/never closed/)
    expect(parseCsv('""\r\n')).toEqual([['']])
  })

  it('reads back exactly what an RFC 4180 writer wrote, for any text', () => {
    const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', '中', ',', '"', '\r', '\n', ' ', "'", '=', '-') })
    const table = fc.array(fc.array(cellText, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 })
    fc.assert(
      fc.property(table, fc.constantFrom('\r\n', '\n'), (rows, eol) => {
        const quoted = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join(eol) + eol
        expect(parseCsv(quoted)).toEqual(rows)
      }),
      { numRuns: 300 },
    )
  })
})
