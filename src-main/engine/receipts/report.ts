/**
 * The end-of-day report (#17) on the receipt paper: the same monospace lines
 * as a receipt, 32 columns on a 58 mm roll, 48 on 80 mm, and 80 on an A4
 * sheet, with the roll's exact length asked for with @page. Pure strings,
 * in the shop's language, like layout.ts.
 */
import type { EndOfDayReport, ReceiptLayout } from '../../../src-preload/contract'
import type { ReceiptDocument } from './layout'
import { escapeHtml, groupDigits, receiptTime, textWidth, THERMAL_COLUMNS, wrapText } from './layout'

const WORDS = {
  title: { en: 'END OF DAY', zh: '日结报表' },
  shift: { en: 'SHIFT REPORT', zh: '班次报表' },
  test: { en: 'TEST - not real payments', zh: '测试模式，非真实付款' },
  till: { en: 'Till', zh: '收银台' },
  day: { en: 'Day', zh: '日期' },
  from: { en: 'From', zh: '开始' },
  to: { en: 'To', zh: '结束' },
  sales: { en: 'Sales', zh: '销售笔数' },
  gross: { en: 'Gross', zh: '总额' },
  tips: { en: 'Tips', zh: '小费' },
  tax: { en: 'Tax', zh: '税额' },
  refunds: { en: 'Refunds', zh: '退款' },
  net: { en: 'Net', zh: '净额' },
  byToken: { en: 'By token and network', zh: '按代币和网络' },
  received: { en: 'Received', zh: '收到' },
  byProduct: { en: 'By product', zh: '按商品' },
  cancelled: { en: 'Cancelled', zh: '已取消' },
  expired: { en: 'Expired', zh: '已过期' },
  attention: { en: 'Needs attention', zh: '需要处理' },
  underpaid: { en: 'Underpaid', zh: '少付' },
  reversed: { en: 'Reversed', zh: '已撤回' },
  unmatched: { en: 'Unmatched payment', zh: '未匹配付款' },
  none: { en: 'Nothing sold', zh: '无销售' },
} as const

type Language = 'en' | 'zh-CN'
const word = (language: Language, key: keyof typeof WORDS) => (language === 'zh-CN' ? WORDS[key].zh : WORDS[key].en)

const centre = (text: string, columns: number) => ' '.repeat(Math.max(0, Math.floor((columns - textWidth(text)) / 2))) + text
const right = (text: string, columns: number) => ' '.repeat(Math.max(0, columns - textWidth(text))) + text

/** "label      value", or the value on its own line(s) flush right when both do not fit. */
function fact(label: string, value: string, columns: number): string[] {
  const gap = columns - textWidth(label) - textWidth(value)
  if (gap >= 1) return [label + ' '.repeat(gap) + value]
  return [label, ...wrapText(value, columns).map((part) => right(part, columns))]
}

/** The report as lines of at most `columns` columns. */
export function reportLines(report: EndOfDayReport, language: Language, shopName: string, columns: number): string[] {
  const rule = '-'.repeat(columns)
  const lines: string[] = []
  const add = (label: string, value: string) => lines.push(...fact(label, value, columns))
  const money = (amount: string, currency: string) => `${groupDigits(amount)} ${currency}`
  for (const part of wrapText(shopName, columns)) lines.push(centre(part, columns))
  lines.push(rule, centre(word(language, report.shift ? 'shift' : 'title'), columns))
  if (!report.livemode) for (const part of wrapText(word(language, 'test'), columns)) lines.push(centre(part, columns))
  lines.push(rule)
  add(word(language, 'till'), report.till_name)
  if (report.day) add(word(language, 'day'), report.day)
  else {
    add(word(language, 'from'), receiptTime(report.from, report.time_zone))
    add(word(language, 'to'), receiptTime(report.to - 1, report.time_zone))
  }
  lines.push(rule)
  if (report.totals.length === 0) lines.push(word(language, 'none'))
  for (const t of report.totals) {
    add(word(language, 'sales'), String(t.sales))
    add(word(language, 'gross'), money(t.gross, t.currency))
    add(word(language, 'tips'), money(t.tips, t.currency))
    add(word(language, 'tax'), money(t.tax, t.currency))
    add(word(language, 'refunds'), money(t.refunds, t.currency))
    add(word(language, 'net'), money(t.net, t.currency))
  }
  if (report.by_token.length > 0) {
    lines.push(rule, word(language, 'byToken'))
    for (const t of report.by_token) {
      lines.push(...wrapText(`${t.token} · ${t.network}`, columns))
      add(`  ${word(language, 'sales')}`, String(t.sales))
      add(`  ${word(language, 'received')}`, `${t.received} ${t.token}`)
      add(`  ${word(language, 'refunds')}`, `${t.refunded} ${t.token}`)
      add(`  ${word(language, 'net')}`, `${t.net} ${t.token}`)
      add(`  ${word(language, 'tips')}`, money(t.tips, t.currency))
    }
  }
  if (report.by_product.length > 0) {
    lines.push(rule, word(language, 'byProduct'))
    for (const p of report.by_product) add(`${p.quantity} × ${p.name}`, money(p.amount, p.currency))
  }
  lines.push(rule)
  add(word(language, 'cancelled'), String(report.cancelled))
  add(word(language, 'expired'), String(report.expired))
  if (report.exceptions.length > 0) {
    lines.push(rule, word(language, 'attention'))
    for (const e of report.exceptions) {
      const what = e.session_id ?? e.tx_hash ?? ''
      add(word(language, e.kind), e.currency ? money(e.amount ?? '', e.currency) : `${e.amount ?? ''} ${e.token ?? ''}`)
      for (const part of wrapText(what, columns - 2)) lines.push(`  ${part}`)
    }
  }
  lines.push(rule, centre(receiptTime(report.generated_at, report.time_zone), columns))
  return lines
}

const A4_COLUMNS = 80
const MONO = '"DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono CJK SC", "Noto Sans Mono", Menlo, Consolas, monospace'
const MONO_CJK = '"Noto Sans Mono CJK SC", "Sarasa Mono SC", NSimSun, "MS Gothic", monospace'

/** The report as a whole HTML document for the paper (self-contained: inline style, no script). */
export function reportDocument(report: EndOfDayReport, layout: ReceiptLayout, language: Language, shopName: string): ReceiptDocument {
  const cjk = language === 'zh-CN'
  const thermal = layout === '58mm' || layout === '80mm'
  const columns = thermal ? THERMAL_COLUMNS[layout] : A4_COLUMNS
  const lines = reportLines(report, language, shopName, columns)
  // The receipt's thermal geometry (layout.ts): 1.5 mm a column, 4 mm padding, a tear-off margin.
  const fontMm = thermal ? (cjk ? 3 : 2.5) : 3.5
  const lineMm = thermal ? (cjk ? 3.75 : 3.25) : 4.5
  const widthMm = layout === '58mm' ? 58 : layout === '80mm' ? 80 : 210
  const heightMm = thermal ? Math.ceil(8 + lines.length * lineMm + 6) : 297
  const page = thermal ? `@page{size:${widthMm}mm ${heightMm}mm;margin:0}` : '@page{size:A4;margin:15mm}'
  const style =
    page +
    '*{box-sizing:border-box}html,body{margin:0;padding:0;background:#fff;color:#000}' +
    `.paper{width:${thermal ? `${widthMm}mm` : 'auto'};padding:4mm;font:${fontMm}mm/${lineMm}mm ${cjk ? MONO_CJK : MONO}}` +
    '.paper pre{margin:0;font:inherit;white-space:pre}' +
    '@media screen{html{background:#e5e7eb}.paper{margin:8mm auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}}'
  const title = `${shopName} · ${word(language, report.shift ? 'shift' : 'title')}`
  const html =
    `<!doctype html><html lang="${cjk ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${style}</style></head><body><main class="paper report" data-layout="${layout}">` +
    `<pre>${escapeHtml(lines.join('\n'))}</pre></main></body></html>`
  return { html, width_mm: widthMm, height_mm: thermal ? heightMm : 297 }
}
