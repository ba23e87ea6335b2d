/**
 * Receipts (#16): a COMPLETED sale's receipt, for the screens (print, save as
 * PDF) and for the public page `/receipt/:id` (http/receiptRoute.ts). The
 * receipt carries only what the customer may see; the layouts are the shared
 * src-preload/shared/receipt.ts.
 */
import type { PaymentSession, PrinterInfo, Receipt, ReceiptLayout } from '../../../src-preload/contract'
import type { ReceiptDocument } from './layout'
import { receiptDocument } from './layout'
import { explorerTxUrl } from '../../../src-preload/shared/validate'
import { formatBaseUnits } from '../money'
import type { Engine } from '..'
import { conflict, notFound } from '../errors'
import type { HandlerRegistry, ShellHooks } from '../handlers'
import { saveAs, uiScope } from '../handlers'
import type { SessionScope } from '../sessions/filter'
import { value } from '../db/sql'
import { rowById, toObject } from '../sessions/read'
import { formatMinor } from '../money'
import { refundRowById, toRefund } from '../refunds/read'
import type { CurrencyCode } from '../../../src-preload/contract'
import { writeFile } from 'node:fs/promises'

import { receiptUrl } from './origin'
export { publishReceipts, receiptUrl } from './origin'

/** ps_ + 24 base62 (sessions), re_ + the same (refunds): anything else is not looked up at all. */
export const RECEIPT_ID = /^(ps|re)_[A-Za-z0-9]{16,64}$/

/** What the desktop shell does with a laid-out receipt (Electron's webContents); absent in serve mode. */
export interface ReceiptShellHooks {
  /** Prints silently to `printer` (null: the system's default), on paper of the document's size. */
  printReceipt?: (document: ReceiptDocument, printer: string | null) => Promise<void>
  /** The document as a PDF (webContents.printToPDF at its paper size). */
  receiptPdf?: (document: ReceiptDocument) => Promise<Uint8Array>
  /** The printers the OS offers (webContents.getPrintersAsync). */
  listPrinters?: () => Promise<PrinterInfo[]>
}

const notFoundReceipt = (id: string) => notFound(`no receipt "${String(id).slice(0, 80)}": only a paid sale has one`, 'id')

/**
 * The receipt of a COMPLETED sale (a refund's: see refundReceipt once refunds
 * exist). `scope` limits it to the UI's merchant; the public page passes none
 * (the id itself is the secret). Anything else, and a sale not (yet) paid, is
 * not found.
 */
export function receiptFor(engine: Engine, id: string, scope?: SessionScope): Receipt {
  if (typeof id !== 'string' || !RECEIPT_ID.test(id)) throw notFoundReceipt(id)
  if (id.startsWith('re_')) return refundReceipt(engine, id, scope)
  const row = rowById(engine.db, id)
  if (!row || row.status !== 'COMPLETED') throw notFoundReceipt(id)
  if (scope && (row.merchant_id !== scope.merchantId || (scope.livemode !== undefined && (row.livemode === 1) !== scope.livemode)))
    throw notFoundReceipt(id)
  return saleReceipt(engine, toObject(engine.db, row))
}

/** The receipt of a paid sale, from its session object: the paying transfer, its token and network. */
export function saleReceipt(engine: Engine, session: PaymentSession): Receipt {
  const merchant = engine.merchants.get(session.merchant_id)
  const counted = session.transactions.filter((t) => t.state !== 'orphaned')
  // The transfer that completed the sale: the last one counted (after an underpayment, the remainder's).
  const tx = counted[counted.length - 1] ?? session.transactions[session.transactions.length - 1] ?? null
  const option =
    (tx && session.payment_options.find((o) => o.chain_id === tx.chain_id && o.token === tx.token)) ?? session.payment_options[0]
  const chainId = tx?.chain_id ?? option?.chain_id ?? 0
  const explorer = engine.networks.find(chainId)?.explorer_url ?? null
  const decimals = option?.decimals ?? 0
  // The till's name as the shop calls it ("收银台 1" in a Chinese shop, #15), not its id.
  const till = session.till ? (value<string>(engine.db, 'SELECT name FROM tills WHERE id = ?', session.till) ?? session.till) : null
  return {
    kind: 'sale',
    id: session.id,
    sale_id: session.id,
    livemode: session.livemode,
    shop_name: merchant.name,
    shop_address: merchant.address,
    language: engine.settings.get().language,
    time_zone: merchant.time_zone,
    at: session.completed_at ?? tx?.block_timestamp ?? session.created_at,
    till,
    order_number: session.order_number,
    amount: session.amount,
    currency: session.currency,
    exchange_rate: session.exchange_rate,
    amount_usd: session.amount_usd,
    token_amount: formatBaseUnits(BigInt(session.amount_paid_base_units), decimals),
    token: tx?.token ?? option?.token ?? '',
    decimals,
    network: option?.network ?? `Chain ${chainId}`,
    chain_id: chainId,
    tx_hash: tx?.tx_hash ?? null,
    tx_url: tx && explorer ? explorerTxUrl(explorer, tx.tx_hash) : null,
    receipt_url: session.receipt_url,
    // Catalog and cart (#17): the lines as charged, and what is not goods.
    lines: session.line_items.map((l) => ({ name: l.name, quantity: l.quantity, unit_amount: l.unit_amount, amount: l.amount })),
    discount_amount: nonZero(session.discount_amount),
    tax_amount: nonZero(session.tax_amount),
    tip_amount: nonZero(session.tip_amount),
  }
}

/** "0.00" is none: a receipt leaves the line out. */
const nonZero = (amount: string): string | null => (/[1-9]/.test(amount) ? amount : null)

/**
 * A succeeded refund's receipt: the sale's receipt with the refund's token
 * amount and transaction, its id, and the refunded share of the sale's price.
 */
function refundReceipt(engine: Engine, id: string, scope?: SessionScope): Receipt {
  const row = refundRowById(engine.db, id)
  if (!row || row.status !== 'succeeded') throw notFoundReceipt(id)
  const refund = toRefund(row)
  const sale = receiptFor(engine, refund.session_id, scope)
  const saleRow = rowById(engine.db, refund.session_id)
  const paid = saleRow ? BigInt(saleRow.amount_paid) : 0n
  const share = (minor: number) => (paid > 0n ? (BigInt(minor) * BigInt(refund.amount_base_units)) / paid : 0n)
  const explorer = engine.networks.find(refund.chain_id)?.explorer_url ?? null
  return {
    ...sale,
    kind: 'refund',
    id: refund.id,
    at: refund.succeeded_at ?? refund.created_at,
    amount: saleRow ? formatMinor(share(saleRow.amount_minor), saleRow.currency as CurrencyCode) : sale.amount,
    amount_usd: saleRow ? formatMinor(share(saleRow.usd_cents), 'USD') : sale.amount_usd,
    token_amount: refund.amount,
    token: refund.token,
    decimals: refund.decimals,
    network: refund.network,
    chain_id: refund.chain_id,
    tx_hash: refund.tx_hash,
    tx_url: refund.tx_hash && explorer ? explorerTxUrl(explorer, refund.tx_hash) : null,
    receipt_url: receiptUrl(engine.db, refund.id),
    // A refund gives back money, not goods: its receipt lists no lines.
    lines: [],
    discount_amount: null,
    tax_amount: null,
    tip_amount: null,
  }
}

const IN_BROWSER_PRINT = 'In the browser, use Print: the browser prints the receipt with its own dialog (choose the receipt printer there).'
const IN_BROWSER_PDF = 'In the browser, use Print and choose "Save as PDF" as the printer.'

export function registerReceiptHandlers(registry: HandlerRegistry, engine: Engine, shell: ShellHooks & ReceiptShellHooks): void {
  const layoutOf = (layout: ReceiptLayout | undefined) => layout ?? engine.settings.get().receipt_layout
  registry.register('receipts:get', ({ id }) => receiptFor(engine, id, uiScope(engine)))
  registry.register('receipts:print', async ({ id, layout }) => {
    const receipt = receiptFor(engine, id, uiScope(engine))
    if (!shell.printReceipt) throw conflict('print_in_browser', IN_BROWSER_PRINT)
    const printer = engine.settings.get().receipt_printer
    await shell.printReceipt(receiptDocument(receipt, layoutOf(layout)), printer)
    return { printed: true as const, printer }
  })
  registry.register('receipts:save-pdf', async ({ id, layout }) => {
    const receipt = receiptFor(engine, id, uiScope(engine))
    const toPdf = shell.receiptPdf
    if (!toPdf) throw conflict('print_in_browser', IN_BROWSER_PDF)
    const file = { name: `receipt-${receipt.id}`, extension: 'pdf', inBrowser: IN_BROWSER_PDF }
    const saved = await saveAs(engine, shell, file, async (path) => {
      await writeFile(path, await toPdf(receiptDocument(receipt, layoutOf(layout))))
      return {}
    })
    return { saved: saved !== null }
  })
  registry.register('receipts:printers', async () => (shell.listPrinters ? await shell.listPrinters() : []))
}
