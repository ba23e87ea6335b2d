/**
 * The shop's products (#17): what the sale screen's grid shows and a cart is
 * built from. Prices are minor units of the shop's currency; a picture is a
 * small image kept in SQLite (checked by its bytes), read one at a time.
 */
import type { Product, ProductImportResult, ProductInput, SaleMode , PRODUCT_IMAGE_TYPES } from '../../../src-preload/contract'
import { PRODUCT_IMAGE_MAX_BYTES } from '../../../src-preload/contract'
import { formatPercent, parsePercent } from '../../../src-preload/shared/cart'
import { INPUT_SCHEMAS } from '../../../src-preload/schemas'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run, value } from '../db/sql'
import { transaction } from '../db/transaction'
import { invalid, notFound } from '../errors'
import { newId } from '../ids'
import type { CurrencyCode } from '../money'
import { formatMinor, isCurrency, MoneyError, parseFiatAmount } from '../money'
import { csvRow, UTF8_BOM } from '../reports/csv'
import type { Merchants } from '../shop'
import { CsvParseError, parseCsvRecords } from './csvParse'

interface ProductRow {
  id: string
  name: string
  name_zh: string | null
  price_minor: number
  currency: string
  category: string | null
  color: string | null
  tax_rate_bp: number
  active: number
  has_image: number
  created_at: number
  updated_at: number
}

const PRODUCT_SELECT = `SELECT id, name, name_zh, price_minor, currency, category, color, tax_rate_bp, active,
  image IS NOT NULL AS has_image, created_at, updated_at FROM products`

/** The columns of the product file, export and import alike. */
export const PRODUCT_CSV_COLUMNS = ['id', 'name', 'name_zh', 'price', 'category', 'color', 'tax_rate', 'active'] as const
type ProductColumn = (typeof PRODUCT_CSV_COLUMNS)[number]

/** The first bytes each picture type starts with: a file named .png that is not a PNG is refused. */
function sniffImage(bytes: Buffer): (typeof PRODUCT_IMAGE_TYPES)[number] | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return null
}

/** A data URL from the owner's screen, as bytes of a checked type and size. */
export function parseProductImage(dataUrl: string): { bytes: Buffer; type: string } {
  const m = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl)
  if (!m) throw invalid('image_invalid', 'image must be a PNG, JPEG or WebP picture (a data: URL)', 'image')
  const declared = m[1] ?? ''
  const bytes = Buffer.from(m[2] ?? '', 'base64')
  if (bytes.length > PRODUCT_IMAGE_MAX_BYTES)
    throw invalid('image_too_large', `image must be at most ${PRODUCT_IMAGE_MAX_BYTES / 1024} KB; this one is ${Math.ceil(bytes.length / 1024)} KB`, 'image')
  const actual = sniffImage(bytes)
  if (!actual || actual !== declared) throw invalid('image_invalid', 'image must be a PNG, JPEG or WebP picture', 'image')
  return { bytes, type: actual }
}

function toProduct(r: ProductRow): Product {
  const currency = r.currency as CurrencyCode
  return {
    id: r.id,
    object: 'product',
    name: r.name,
    name_zh: r.name_zh,
    price: isCurrency(currency) ? formatMinor(BigInt(r.price_minor), currency) : String(r.price_minor),
    currency: r.currency,
    category: r.category,
    color: r.color,
    has_image: r.has_image === 1,
    tax_rate_bp: r.tax_rate_bp,
    active: r.active === 1,
    created_at: r.created_at,
    updated_at: r.updated_at,
  }
}

export class Products {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly merchants: Merchants,
  ) {}

  /** Category, then name. The sale screen asks for the active ones in the shop's currency only. */
  list(merchantId: string, opts: { includeInactive?: boolean } = {}): Product[] {
    const rows = all<ProductRow>(
      this.db,
      `${PRODUCT_SELECT} WHERE merchant_id = ? AND (active = 1 OR ?) ORDER BY category IS NULL, category, name COLLATE NOCASE, id`,
      merchantId,
      opts.includeInactive ? 1 : 0,
    )
    return rows.map(toProduct)
  }

  get(merchantId: string, id: string): Product {
    const row = get<ProductRow>(this.db, `${PRODUCT_SELECT} WHERE merchant_id = ? AND id = ?`, merchantId, id)
    if (!row) throw notFound(`no product "${id}"`, 'id')
    return toProduct(row)
  }

  /** The picture as a data URL, or null. An inactive product's picture is still shown in past sales' screens. */
  image(merchantId: string, id: string): string | null {
    const row = get<{ image: Buffer | null; image_type: string | null }>(
      this.db,
      'SELECT image, image_type FROM products WHERE merchant_id = ? AND id = ?',
      merchantId,
      id,
    )
    if (!row) throw notFound(`no product "${id}"`, 'id')
    return row.image && row.image_type ? `data:${row.image_type};base64,${row.image.toString('base64')}` : null
  }

  create(merchantId: string, input: ProductInput): Product {
    const currency = this.currency(merchantId)
    const priceMinor = priceOf(input.price, currency)
    const image = input.image ? parseProductImage(input.image) : null
    const now = nowSeconds(this.clock)
    const id = newId('prod')
    run(
      this.db,
      `INSERT INTO products (id, merchant_id, name, name_zh, price_minor, currency, category, color, tax_rate_bp, active, image, image_type,
        created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      merchantId,
      input.name,
      input.name_zh ?? null,
      Number(priceMinor),
      currency,
      input.category ?? null,
      input.color ?? null,
      input.tax_rate_bp ?? 0,
      input.active === false ? 0 : 1,
      image?.bytes ?? null,
      image?.type ?? null,
      now,
      now,
    )
    return this.get(merchantId, id)
  }

  /** Only what is given changes; `image: null` removes the picture. */
  update(merchantId: string, id: string, patch: Partial<ProductInput>): Product {
    return transaction(this.db, () => {
      this.get(merchantId, id)
      const sets: string[] = []
      const params: unknown[] = []
      const set = (column: string, v: unknown) => {
        sets.push(`${column} = ?`)
        params.push(v)
      }
      if (patch.name !== undefined) set('name', patch.name)
      if (patch.name_zh !== undefined) set('name_zh', patch.name_zh)
      if (patch.price !== undefined) {
        // A new price is in the shop's currency as it is now.
        const currency = this.currency(merchantId)
        set('price_minor', Number(priceOf(patch.price, currency)))
        set('currency', currency)
      }
      if (patch.category !== undefined) set('category', patch.category)
      if (patch.color !== undefined) set('color', patch.color)
      if (patch.tax_rate_bp !== undefined) set('tax_rate_bp', patch.tax_rate_bp)
      if (patch.active !== undefined) set('active', patch.active ? 1 : 0)
      if (patch.image !== undefined) {
        const image = patch.image === null ? null : parseProductImage(patch.image)
        set('image', image?.bytes ?? null)
        set('image_type', image?.type ?? null)
      }
      set('updated_at', nowSeconds(this.clock))
      run(this.db, `UPDATE products SET ${sets.join(', ')} WHERE merchant_id = ? AND id = ?`, ...params, merchantId, id)
      return this.get(merchantId, id)
    })
  }

  /** Gone from the catalog; past sales keep their own copy of the line (name, price, product id). */
  delete(merchantId: string, id: string): { id: string; deleted: true } {
    if (run(this.db, 'DELETE FROM products WHERE merchant_id = ? AND id = ?', merchantId, id).changes === 0)
      throw notFound(`no product "${id}"`, 'id')
    return { id, deleted: true }
  }

  /** The whole catalog as the owner's spreadsheet reads it (pictures stay in the app). */
  exportCsv(merchantId: string): { csv: string; rows: number } {
    const products = this.list(merchantId, { includeInactive: true })
    let csv = UTF8_BOM + csvRow(PRODUCT_CSV_COLUMNS)
    for (const p of products)
      csv += csvRow([p.id, p.name, p.name_zh ?? '', p.price, p.category ?? '', p.color ?? '', formatPercent(p.tax_rate_bp), p.active ? 'yes' : 'no'])
    return { csv, rows: products.length }
  }

  /**
   * Every row is checked before anything is written: a file with one wrong
   * row imports nothing and says which rows are wrong. A row whose id is a
   * product of this shop updates it; a row without an id adds a product.
   */
  importCsv(merchantId: string, text: string): ProductImportResult {
    const currency = this.currency(merchantId)
    let records: Array<{ line: number; fields: string[] }>
    try {
      records = parseCsvRecords(text)
    } catch (error) {
      if (error instanceof CsvParseError) return { created: 0, updated: 0, errors: [{ line: error.line, message: error.message }] }
      throw error
    }
    const header = records.shift()
    if (!header) return { created: 0, updated: 0, errors: [{ line: 1, message: 'the file is empty: it needs a header row (name, price, …)' }] }
    const columns = header.fields.map((h) => h.trim().toLowerCase())
    const unknown = columns.filter((c) => !(PRODUCT_CSV_COLUMNS as readonly string[]).includes(c))
    const missing = (['name', 'price'] as const).filter((c) => !columns.includes(c))
    if (unknown.length > 0 || missing.length > 0)
      return {
        created: 0,
        updated: 0,
        errors: [
          {
            line: header.line,
            message:
              (missing.length > 0 ? `missing column ${missing.join(', ')}; ` : '') +
              (unknown.length > 0 ? `unknown column ${unknown.map((c) => JSON.stringify(c)).join(', ')}; ` : '') +
              `the columns are ${PRODUCT_CSV_COLUMNS.join(', ')}`,
          },
        ],
      }

    const existing = new Set(all<{ id: string }>(this.db, 'SELECT id FROM products WHERE merchant_id = ?', merchantId).map((r) => r.id))
    const errors: ProductImportResult['errors'] = []
    const rows: Array<{ id: string | null; input: ProductInput }> = []
    for (const { line, fields } of records) {
      const cell = (c: ProductColumn): string | undefined => {
        const i = columns.indexOf(c)
        return i === -1 ? undefined : fromCsvCell(fields[i] ?? '')
      }
      try {
        const id = cell('id')?.trim() || null
        if (id !== null && !existing.has(id)) throw new Error(`no product with id "${id}" in this shop (leave id empty to add one)`)
        const taxText = cell('tax_rate')?.trim() ?? ''
        const tax = taxText === '' ? 0 : parsePercent(taxText)
        if (tax === null) throw new Error(`tax_rate "${taxText}" is not a percent from 0 to 100 like 8.25`)
        const activeText = (cell('active') ?? '').trim().toLowerCase()
        if (!['', 'yes', 'no', 'true', 'false', '1', '0'].includes(activeText)) throw new Error(`active must be yes or no, not "${activeText}"`)
        const colorText = cell('color')?.trim() ?? ''
        const parsed = INPUT_SCHEMAS['products:create'].safeParse({
          name: cell('name') ?? '',
          name_zh: cell('name_zh') ?? null,
          price: cell('price')?.trim() ?? '',
          category: cell('category') ?? null,
          color: colorText === '' ? null : colorText,
          tax_rate_bp: tax,
          active: !['no', 'false', '0'].includes(activeText),
        })
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid row')
        priceOf(parsed.data.price, currency)
        rows.push({ id, input: parsed.data })
      } catch (error) {
        errors.push({ line, message: error instanceof Error ? error.message : String(error) })
      }
    }
    if (errors.length > 0) return { created: 0, updated: 0, errors }

    return transaction(this.db, () => {
      let created = 0
      let updated = 0
      for (const row of rows) {
        if (row.id) {
          this.update(merchantId, row.id, row.input)
          updated++
        } else {
          this.create(merchantId, row.input)
          created++
        }
      }
      return { created, updated, errors: [] }
    })
  }

  // ------------------------------------------------------------ sale screen mode, per till

  saleMode(till: string): SaleMode {
    return value<SaleMode>(this.db, 'SELECT sale_mode FROM tills WHERE id = ?', till) ?? 'keypad'
  }

  setSaleMode(till: string, mode: SaleMode): SaleMode {
    if (run(this.db, 'UPDATE tills SET sale_mode = ? WHERE id = ?', mode, till).changes === 0) throw notFound(`no till "${till}"`, 'till')
    return mode
  }

  private currency(merchantId: string): CurrencyCode {
    const currency = this.merchants.get(merchantId).currency
    if (!isCurrency(currency)) throw invalid('currency_unsupported', `the shop's currency "${currency}" is not supported`)
    return currency
  }
}

/** A price in the shop's currency, in minor units; its decimals are the currency's. */
function priceOf(price: string, currency: CurrencyCode): bigint {
  try {
    return parseFiatAmount(price, currency)
  } catch (error) {
    if (error instanceof MoneyError) throw invalid(error.code, error.message.replace(/^amount/, 'price'), 'price')
    throw error
  }
}

/** Our own export disarms formula-looking cells with a leading quote (reports/csv.ts): read back what was meant. */
function fromCsvCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell
}
