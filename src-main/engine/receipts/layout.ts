/**
 * Receipts (#16): what a receipt says, in the shop's language, laid out for a
 * 58 mm or 80 mm thermal roll, an A4 sheet, or a phone's screen (the public
 * receipt page). One pure function makes the whole HTML document, so the
 * public page, the browser's print, the desktop's silent print and its PDF
 * all show the same receipt. No Node and no DOM here (pure strings).
 *
 * Thermal layouts are plain monospace text with exactly as many columns as
 * the roll prints (32 on 58 mm, 48 on 80 mm), wrapped here rather than by the
 * browser, so the paper's length is known before printing: the @page size
 * asks for exactly that much roll.
 */
import QRCode from 'qrcode'
import type { Receipt, ReceiptLayout } from '../../../src-preload/contract'
import { wallClock } from '../../../src-preload/shared/time'

/** The public page's layout: a phone's screen. Printed layouts are the contract's RECEIPT_LAYOUTS. */
export type ReceiptView = ReceiptLayout | 'page'

const STRINGS = {
  sale: { en: 'RECEIPT', zh: '收据' },
  refund: { en: 'REFUND', zh: '退款收据' },
  test: { en: 'TEST - not a real payment', zh: '测试模式，非真实付款' },
  time: { en: 'Time', zh: '时间' },
  till: { en: 'Till', zh: '收银台' },
  amount: { en: 'Amount', zh: '金额' },
  refunded: { en: 'Refunded', zh: '退款金额' },
  rate: { en: 'Rate', zh: '汇率' },
  usd: { en: 'In USD', zh: '折合美元' },
  paid: { en: 'Paid', zh: '实付' },
  sent: { en: 'Sent back', zh: '退回' },
  network: { en: 'Network', zh: '网络' },
  tx: { en: 'Transaction', zh: '交易' },
  saleId: { en: 'Sale', zh: '销售单号' },
  orderNumber: { en: 'Order no.', zh: '单号' },
  refundId: { en: 'Refund', zh: '退款单号' },
  scan: { en: 'Scan to see the payment', zh: '扫码查看链上交易' },
  thanks: { en: 'Thank you', zh: '谢谢惠顾' },
  // Catalog and cart (#17)
  discount: { en: 'Discount', zh: '折扣' },
  tax: { en: 'Tax', zh: '税' },
  tip: { en: 'Tip', zh: '小费' },
} as const

type StringKey = keyof typeof STRINGS

export function receiptWord(receipt: Pick<Receipt, 'language'>, key: StringKey): string {
  return receipt.language === 'zh-CN' ? STRINGS[key].zh : STRINGS[key].en
}

// ---------------------------------------------------------------- formatting

/** "1234567.5" → "1,234,567.5": grouping by hand, exact for any length (no float on the way). */
export function groupDigits(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal)
  if (!match) return decimal
  return `${match[1] ?? ''}${(match[2] ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] ?? ''}`
}

/** "25.50 USD", "1,500 JPY": the code, not a symbol (¥ is both yen and yuan; a receipt must not be ambiguous). */
export function receiptMoney(amount: string, currency: string): string {
  return `${groupDigits(amount)} ${currency}`
}

/** "25.500001 USDC": the exact amount the chain moved, never rounded, at least two decimals. */
export function receiptTokenAmount(amount: string, token: string): string {
  const [whole = '0', fraction = ''] = amount.split('.')
  return `${groupDigits(whole)}.${fraction.padEnd(2, '0')} ${token}`
}

/** "1 JPY = 0.0067 USD". */
export function receiptRate(receipt: Pick<Receipt, 'currency' | 'exchange_rate'>): string | null {
  return receipt.exchange_rate ? `1 ${receipt.currency} = ${receipt.exchange_rate} USD` : null
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** "2026-03-29 14:05:09 +09:00": the shop's wall clock with its offset, the same in both languages. */
export function receiptTime(at: number, timeZone: string): string {
  let w
  try {
    w = wallClock(at, timeZone)
  } catch {
    w = wallClock(at, 'UTC')
  }
  const sign = w.offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(w.offsetMinutes)
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** "0x1234abcd...9f8e7d6c": enough to find it in an explorer, short enough for a roll (three dots: "…" is one column in some faces, two in CJK ones, and missing from many printer fonts). */
export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}...${hash.slice(-8)}` : hash
}

/** One labelled fact of a receipt, in order. */
export interface ReceiptFact {
  key: StringKey
  label: string
  value: string
}

/** Everything a receipt states, in the order printed; the same list for every layout. */
export function receiptFacts(receipt: Receipt): ReceiptFact[] {
  const facts: ReceiptFact[] = []
  const add = (key: StringKey, value: string | null) => {
    if (value !== null && value !== '') facts.push({ key, label: receiptWord(receipt, key), value })
  }
  const refund = receipt.kind === 'refund'
  add('time', receiptTime(receipt.at, receipt.time_zone))
  add('till', receipt.till)
  add(refund ? 'refunded' : 'amount', receiptMoney(receipt.amount, receipt.currency))
  add('rate', receiptRate(receipt))
  if (receipt.exchange_rate) add('usd', receiptMoney(receipt.amount_usd, 'USD'))
  add(refund ? 'sent' : 'paid', receiptTokenAmount(receipt.token_amount, receipt.token))
  add('network', receipt.network)
  add('tx', receipt.tx_hash ? shortHash(receipt.tx_hash) : null)
  if (refund) add('refundId', receipt.id)
  add('saleId', receipt.sale_id)
  return facts
}

/** What was sold (#17): each line as "name" and "2 x 3.50" / its amount, then discount, tax and tip; empty for a keypad sale. */
export interface ReceiptLineRow {
  name: string
  /** "2 x 3.50 USD"; null for discount, tax and tip. */
  detail: string | null
  value: string
}

export function receiptLineRows(receipt: Receipt): ReceiptLineRow[] {
  // Receipts stored before #17 (or built by older code) have no lines.
  const lines = receipt.lines ?? []
  if (lines.length === 0) return []
  const money = (amount: string) => receiptMoney(amount, receipt.currency)
  const rows: ReceiptLineRow[] = lines.map((l) => ({ name: l.name, detail: `${l.quantity} x ${money(l.unit_amount)}`, value: money(l.amount) }))
  if (receipt.discount_amount) rows.push({ name: receiptWord(receipt, 'discount'), detail: null, value: `-${money(receipt.discount_amount)}` })
  if (receipt.tax_amount) rows.push({ name: receiptWord(receipt, 'tax'), detail: null, value: money(receipt.tax_amount) })
  if (receipt.tip_amount) rows.push({ name: receiptWord(receipt, 'tip'), detail: null, value: money(receipt.tip_amount) })
  return rows
}

// ---------------------------------------------------------------- thermal text

/** Columns a character takes on a monospace roll: East Asian wide characters take two. */
function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  return wide ? 2 : 1
}

export function textWidth(text: string): number {
  let width = 0
  for (const char of text) width += charWidth(char)
  return width
}

/** Cuts text into pieces of at most `columns` columns, at spaces when it can. */
export function wrapText(text: string, columns: number): string[] {
  const lines: string[] = []
  let line = ''
  let width = 0
  const words = text.split(/(\s+)/).filter((w) => w !== '')
  for (const word of words) {
    const w = textWidth(word)
    if (width + w <= columns) {
      line += word
      width += w
      continue
    }
    if (line.trim() !== '') lines.push(line.trimEnd())
    line = ''
    width = 0
    if (/^\s+$/.test(word)) continue
    // A word longer than a line (a sale id on a narrow roll) is cut where it must be.
    for (const char of word) {
      const cw = charWidth(char)
      if (width + cw > columns) {
        lines.push(line)
        line = ''
        width = 0
      }
      line += char
      width += cw
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd())
  return lines
}

const centre = (text: string, columns: number) => ' '.repeat(Math.max(0, Math.floor((columns - textWidth(text)) / 2))) + text
const right = (text: string, columns: number) => ' '.repeat(Math.max(0, columns - textWidth(text))) + text

/** Columns of each roll at the usual 12×24-dot font: 32 on 58 mm, 48 on 80 mm. */
export const THERMAL_COLUMNS: Readonly<Record<'58mm' | '80mm', number>> = { '58mm': 32, '80mm': 48 }

/**
 * The receipt as lines of exactly `columns` columns or fewer: the shop centred,
 * then "label      value" with the value flush right (on its own line when
 * both do not fit), then the thanks.
 */
export function receiptLines(receipt: Receipt, columns: number): string[] {
  const rule = '-'.repeat(columns)
  const lines: string[] = []
  for (const part of wrapText(receipt.shop_name, columns)) lines.push(centre(part, columns))
  for (const addressLine of (receipt.shop_address ?? '').split('\n').filter(Boolean))
    for (const part of wrapText(addressLine, columns)) lines.push(centre(part, columns))
  lines.push(rule)
  lines.push(centre(receiptWord(receipt, receipt.kind), columns))
  // The number the cashier called out, on a line of its own where the eye lands first.
  if (receipt.order_number) lines.push(centre(orderNumberText(receipt), columns))
  if (!receipt.livemode) for (const part of wrapText(receiptWord(receipt, 'test'), columns)) lines.push(centre(part, columns))
  lines.push(rule)
  const sold = receiptLineRows(receipt)
  for (const row of sold) {
    // The name on its own line(s); the quantity and price under it, the amount flush right.
    if (row.detail === null) {
      const gap = columns - textWidth(row.name) - textWidth(row.value)
      lines.push(gap >= 1 ? row.name + ' '.repeat(gap) + row.value : row.name, ...(gap >= 1 ? [] : [right(row.value, columns)]))
      continue
    }
    for (const part of wrapText(row.name, columns)) lines.push(part)
    const detail = `  ${row.detail}`
    const gap = columns - textWidth(detail) - textWidth(row.value)
    if (gap >= 1) lines.push(detail + ' '.repeat(gap) + row.value)
    else lines.push(...wrapText(detail, columns), right(row.value, columns))
  }
  if (sold.length > 0) lines.push(rule)
  for (const fact of receiptFacts(receipt)) {
    const gap = columns - textWidth(fact.label) - textWidth(fact.value)
    if (gap >= 1) {
      lines.push(fact.label + ' '.repeat(gap) + fact.value)
      continue
    }
    lines.push(fact.label)
    for (const part of wrapText(fact.value, columns)) lines.push(right(part, columns))
  }
  lines.push(rule)
  return lines
}

// ---------------------------------------------------------------- QR

/** A QR code as an inline SVG (black on white, quiet zone of 4 modules), `size` in CSS units. */
export function qrSvg(value: string, size: string, label: string): string {
  const code = QRCode.create(value, { errorCorrectionLevel: 'M' })
  const n = code.modules.size
  const total = n + 8
  let d = ''
  for (let row = 0; row < n; row++) {
    let col = 0
    while (col < n) {
      if (!code.modules.get(row, col)) {
        col++
        continue
      }
      let run = 1
      while (col + run < n && code.modules.get(row, col + run)) run++
      d += `M${col + 4} ${row + 4}h${run}v1h-${run}z`
      col += run
    }
  }
  return (
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${total} ${total}" ` +
    `shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(label)}" data-payload="${escapeHtml(value)}">` +
    `<rect width="${total}" height="${total}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  )
}

// ---------------------------------------------------------------- the document

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A laid-out receipt: the HTML document and its paper (null height: a page that grows, the phone's). */
export interface ReceiptDocument {
  html: string
  width_mm: number | null
  height_mm: number | null
}

// Thermal geometry, in millimetres. A 12×24-dot font on a 203 dpi head is 1.5 mm a column; monospace faces
// advance 0.6 em, so 2.5 mm type gives exactly that.
const FONT_MM = 2.5
const LINE_MM = 3.25
const PAD_MM = 4
const QR_MM = 26
const QR_GAP_MM = 3
// The browser's own rounding of lines, and a tear-off margin below the last line.
const SLACK_MM = 6

// Chinese: a face whose Latin is exactly half its Han width (0.5 em / 1 em), so a line of mixed text keeps its
// columns; 3 mm type then gives the same 1.5 mm a column.
const MONO_CJK = '"Noto Sans Mono CJK SC", "Sarasa Mono SC", NSimSun, "MS Gothic", monospace'
const MONO = '"DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC", "Noto Sans Mono", Menlo, Consolas, monospace'
const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'

function head(receipt: Receipt, title: string, style: string): string {
  return (
    `<!doctype html><html lang="${receipt.language === 'zh-CN' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(title)}</title><style>${style}</style></head>`
  )
}

function titleOf(receipt: Receipt): string {
  return `${receipt.shop_name} · ${receiptWord(receipt, receipt.kind)}`
}

function thermal(receipt: Receipt, layout: '58mm' | '80mm'): ReceiptDocument {
  const columns = THERMAL_COLUMNS[layout]
  const widthMm = layout === '58mm' ? 58 : 80
  const lines = receiptLines(receipt, columns)
  const thanks = centre(receiptWord(receipt, 'thanks'), columns)
  const qr = receipt.tx_url
  const cjk = receipt.language === 'zh-CN'
  const fontMm = cjk ? 3 : FONT_MM
  const lineMm = cjk ? 3.75 : LINE_MM
  const heightMm = Math.ceil(2 * PAD_MM + (lines.length + 1 + (qr ? 1 : 0)) * lineMm + (qr ? QR_MM + QR_GAP_MM : 0) + SLACK_MM)
  const style =
    `@page{size:${widthMm}mm ${heightMm}mm;margin:0}` +
    '*{box-sizing:border-box}html,body{margin:0;padding:0;background:#fff;color:#000}' +
    `.paper{width:${widthMm}mm;padding:${PAD_MM}mm;font:${fontMm}mm/${lineMm}mm ${cjk ? MONO_CJK : MONO}}` +
    '.paper pre{margin:0;font:inherit;white-space:pre}' +
    `.qr-block{text-align:center;margin-top:${QR_GAP_MM}mm}.qr-block svg{display:block;margin:0 auto}` +
    // On screen (preview, screenshots) the roll sits on a grey table; printed, only the roll.
    '@media screen{html{background:#e5e7eb}.paper{margin:8mm auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}}'
  const qrBlock = qr
    ? `<div class="qr-block">${qrSvg(qr, `${QR_MM}mm`, receiptWord(receipt, 'scan'))}<pre>${escapeHtml(centre(receiptWord(receipt, 'scan'), columns))}</pre></div>`
    : ''
  const html =
    head(receipt, titleOf(receipt), style) +
    `<body><main class="paper receipt" data-layout="${layout}" data-receipt-id="${escapeHtml(receipt.id)}">` +
    `<pre>${escapeHtml(lines.join('\n'))}</pre>${qrBlock}<pre>${escapeHtml(thanks)}</pre></main></body></html>`
  return { html, width_mm: widthMm, height_mm: heightMm }
}

function linesTable(receipt: Receipt): string {
  const rows = receiptLineRows(receipt)
  if (rows.length === 0) return ''
  return (
    '<table class="lines">' +
    rows
      .map(
        (r) =>
          `<tr class="${r.detail === null ? 'line-part' : 'line'}"><td>${escapeHtml(r.name)}` +
          (r.detail ? `<div class="line-detail">${escapeHtml(r.detail)}</div>` : '') +
          `</td><td class="line-amount">${escapeHtml(r.value)}</td></tr>`,
      )
      .join('') +
    '</table>'
  )
}

const LINES_STYLE =
  '.lines{width:100%;border-collapse:collapse;margin:0 0 4mm}.lines td{padding:1.5mm 0;border-bottom:0.2mm solid #ddd;vertical-align:top}' +
  '.line-detail{color:#555;font-size:.9em}.line-amount{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;padding-left:4mm}'

function factsTable(receipt: Receipt): string {
  return (
    '<dl class="facts">' +
    receiptFacts(receipt)
      .map((f) => `<div class="fact" data-fact="${f.key}"><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`)
      .join('') +
    '</dl>'
  )
}

/** "Order no. A-0042". */
function orderNumberText(receipt: Receipt): string {
  return `${receiptWord(receipt, 'orderNumber')} ${receipt.order_number ?? ''}`
}

function shopHeader(receipt: Receipt): string {
  const address = (receipt.shop_address ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => `<p class="address">${escapeHtml(line)}</p>`)
    .join('')
  return (
    `<header><h1 class="shop">${escapeHtml(receipt.shop_name)}</h1>${address}` +
    `<p class="kind">${escapeHtml(receiptWord(receipt, receipt.kind))}</p>` +
    (receipt.order_number ? `<p class="order-number" data-fact="orderNumber">${escapeHtml(orderNumberText(receipt))}</p>` : '') +
    (receipt.livemode ? '' : `<p class="test">${escapeHtml(receiptWord(receipt, 'test'))}</p>`) +
    '</header>'
  )
}

function a4(receipt: Receipt): ReceiptDocument {
  const style =
    '@page{size:A4;margin:18mm}*{box-sizing:border-box}html,body{margin:0;background:#fff;color:#111}' +
    `body{font:11pt/1.5 ${SANS}}.sheet{max-width:174mm;margin:0 auto}` +
    'header{border-bottom:0.4mm solid #111;padding-bottom:4mm;margin-bottom:6mm}' +
    '.shop{font-size:20pt;margin:0 0 1mm}.address{margin:0;color:#333}.kind{margin:4mm 0 0;font-weight:700;letter-spacing:.08em}' +
    '.test{margin:1mm 0 0;font-weight:700}.body{display:flex;gap:10mm;align-items:flex-start}' +
    '.order-number{margin:2mm 0 0;font-size:24pt;font-weight:800;font-variant-numeric:tabular-nums}' +
    '.facts-col{flex:1}.facts{margin:0}.fact{display:flex;justify-content:space-between;gap:6mm;padding:2mm 0;border-bottom:0.2mm solid #bbb}' +
    '.fact dt{color:#444}.fact dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}' +
    '.qr-block{width:40mm;text-align:center;font-size:9pt;color:#444}.qr-block svg{display:block}' +
    '.thanks{margin-top:8mm;font-size:12pt}' +
    LINES_STYLE +
    '@media screen{html{background:#e5e7eb}.sheet{width:210mm;max-width:none;min-height:297mm;padding:18mm;margin:8mm auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}}'
  const qr = receipt.tx_url
    ? `<div class="qr-block">${qrSvg(receipt.tx_url, '40mm', receiptWord(receipt, 'scan'))}<p>${escapeHtml(receiptWord(receipt, 'scan'))}</p></div>`
    : ''
  const html =
    head(receipt, titleOf(receipt), style) +
    `<body><main class="sheet receipt" data-layout="a4" data-receipt-id="${escapeHtml(receipt.id)}">${shopHeader(receipt)}` +
    `<div class="body"><div class="facts-col">${linesTable(receipt)}${factsTable(receipt)}</div>${qr}</div><p class="thanks">${escapeHtml(receiptWord(receipt, 'thanks'))}</p></main></body></html>`
  return { html, width_mm: 210, height_mm: 297 }
}

/** The public page: a phone's width, large type, the transaction as a link (a phone cannot scan its own screen). */
function page(receipt: Receipt): ReceiptDocument {
  const style =
    '*{box-sizing:border-box}html{background:#f3f4f6;color:#111}' +
    `body{margin:0;padding:16px;font:16px/1.5 ${SANS}}` +
    '.card{max-width:28rem;margin:0 auto;background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.15)}' +
    'header{text-align:center;border-bottom:1px solid #ddd;padding-bottom:12px;margin-bottom:8px}' +
    '.shop{font-size:1.4rem;margin:0}.address{margin:0;color:#444}.kind{margin:8px 0 0;font-weight:700;letter-spacing:.08em}' +
    '.test{margin:4px 0 0;color:#92400e;font-weight:700}.facts{margin:0}' +
    '.order-number{margin:8px 0 0;font-size:2rem;font-weight:800;font-variant-numeric:tabular-nums}' +
    '.fact{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-bottom:1px solid #eee}' +
    '.fact dt{color:#555;flex:none}.fact dd{margin:0;text-align:right;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}' +
    '.tx{margin:12px 0 0;text-align:center;overflow-wrap:anywhere}.tx a{color:#1d4ed8}' +
    '.thanks{text-align:center;margin:16px 0 0;font-size:1.1rem}' +
    LINES_STYLE +
    '@media print{html{background:#fff}body{padding:0}.card{box-shadow:none;max-width:none}}'
  const tx = receipt.tx_url
    ? `<p class="tx"><a href="${escapeHtml(receipt.tx_url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(receipt.tx_hash ?? receipt.tx_url)}</a></p>`
    : ''
  const html =
    head(receipt, titleOf(receipt), style) +
    `<body><main class="card receipt" data-layout="page" data-receipt-id="${escapeHtml(receipt.id)}">${shopHeader(receipt)}` +
    `${linesTable(receipt)}${factsTable(receipt)}${tx}<p class="thanks">${escapeHtml(receiptWord(receipt, 'thanks'))}</p></main></body></html>`
  return { html, width_mm: null, height_mm: null }
}

/** The receipt as a whole HTML document for `view` (self-contained: inline style and SVG, no script, no fetch). */
export function receiptDocument(receipt: Receipt, view: ReceiptView): ReceiptDocument {
  if (view === '58mm' || view === '80mm') return thermal(receipt, view)
  if (view === 'a4') return a4(receipt)
  return page(receipt)
}
