/**
 * Tips (#17). When the owner turned tips on, the cashier's Charge does not
 * make the sale at once: it asks the till's customer display for a tip (a
 * tip request). The customer taps one of the three percentages, types an
 * amount of their own, or "No tip"; the cashier may skip it from the till.
 * The answer makes the sale the cashier charged, with amount = base + tip
 * and `tip_amount` (its own line in the session, reported apart).
 *
 * Exact in minor units: a percentage tip is base × percent / 100 rounded
 * half up to the currency's minor unit (cents; whole yen; KWD fils).
 *
 * Who may answer is checked here, not in the screen: a customer display
 * device paired with that till, or the very device that charged (the desktop
 * app's customer window and a second tab of the cashier's browser are that
 * device). Only the till's pending request can be answered, once.
 */
import type { ContractError, CreateSaleInput, TipAnswer, TipOption, TipRequest, TipRequestStatus } from '../../../src-preload/contract'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import { get, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { conflict, invalid, notFound } from '../errors'
import type { HandlerRegistry } from '../handlers'
import { saleInput, toContractError, uiScope } from '../handlers'
import { newId } from '../ids'
import type { CurrencyCode } from '../money'
import { divRoundHalfUp, formatMinor, isCurrency, parseFiatAmount } from '../money'
import { log } from '../log'

/** A tip request nobody answered this long is over: the cashier charges again. */
export const TIP_REQUEST_SECONDS = 10 * 60

interface TipRow {
  id: string
  till_id: string
  device: string
  sale: string
  currency: string
  base_minor: number
  percentages: string
  custom: number
  status: TipRequestStatus
  tip_minor: number | null
  percent: number | null
  session_id: string | null
  error: string | null
  created_at: number
  answered_at: number | null
}

/** The tip of a percentage button: base × percent / 100, half up, in minor units. */
export function percentTip(baseMinor: bigint, percent: number): bigint {
  return divRoundHalfUp(baseMinor * BigInt(percent), 100n)
}

function toTipRequest(row: TipRow): TipRequest {
  const currency = row.currency as CurrencyCode
  const base = BigInt(row.base_minor)
  const options: TipOption[] = (JSON.parse(row.percentages) as number[]).map((percent) => {
    const tip = percentTip(base, percent)
    return { percent, tip_amount: formatMinor(tip, currency), amount: formatMinor(base + tip, currency) }
  })
  return {
    id: row.id,
    object: 'tip_request',
    till: row.till_id,
    status: row.status,
    currency: row.currency,
    base_amount: formatMinor(base, currency),
    options,
    custom_allowed: row.custom === 1,
    tip_amount: row.tip_minor === null ? null : formatMinor(BigInt(row.tip_minor), currency),
    percent: row.percent,
    session_id: row.session_id,
    error: row.error === null ? null : (JSON.parse(row.error) as ContractError),
    created_at: row.created_at,
    answered_at: row.answered_at,
  }
}

export class Tips {
  constructor(private readonly engine: Engine) {}

  private row(id: string): TipRow | undefined {
    return get<TipRow>(this.engine.db, 'SELECT * FROM tip_requests WHERE id = ?', id)
  }

  private emit(id: string): TipRequest {
    const request = toTipRequest(this.row(id)!)
    this.engine.events.emit('tip:updated', request)
    return request
  }

  /** The cashier's Charge with tips on: checked as the sale will be, kept until the display answers. */
  request(sale: CreateSaleInput, device: string): TipRequest {
    const settings = this.engine.settings.get()
    if (!settings.tips_enabled) throw conflict('tips_off', 'Tips are turned off for this shop: charge the sale directly.')
    const till = this.engine.devices.tillOf(device)
    // The customer chooses the tip: a charge that brings one of its own would be tipped twice.
    if (sale.tip_amount !== undefined && !/^0*(\.0*)?$/.test(sale.tip_amount))
      throw invalid('parameter_invalid', 'with tips on, the customer display asks for the tip: leave tip_amount out', 'tip_amount')
    const input = saleInput(this.engine, sale, till)
    if (!isCurrency(input.currency)) throw invalid('parameter_invalid', `unsupported currency "${input.currency}"`, 'currency')
    // The price's digits are judged now (not when the customer answers): a wrong amount never reaches the display.
    const baseMinor = parseFiatAmount(input.amount, input.currency)
    if (baseMinor <= 0n) throw invalid('amount_invalid', 'amount must be greater than 0', 'amount')
    const id = newId('tip')
    const now = nowSeconds(this.engine.clock)
    const replaced = transaction(this.engine.db, () => {
      // One charge at a time per counter: an older unanswered one is over.
      const old = get<{ id: string }>(this.engine.db, "SELECT id FROM tip_requests WHERE till_id = ? AND status = 'pending'", till)
      if (old) run(this.engine.db, "UPDATE tip_requests SET status = 'cancelled', answered_at = ? WHERE id = ?", now, old.id)
      run(
        this.engine.db,
        `INSERT INTO tip_requests (id, till_id, device, sale, currency, base_minor, percentages, custom, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
        id,
        till,
        device,
        // The order id is fixed now, so the sale made later is the one charged.
        JSON.stringify({ ...sale, order_id: input.orderId, currency: input.currency }),
        input.currency,
        Number(baseMinor),
        JSON.stringify(settings.tip_percentages),
        settings.tip_custom ? 1 : 0,
        now,
      )
      return old?.id
    })
    if (replaced) this.emit(replaced)
    return this.emit(id)
  }

  /** The till's pending request, if not too old. */
  current(device: string): TipRequest | null {
    const till = this.engine.devices.tillOf(device)
    const row = get<TipRow>(
      this.engine.db,
      "SELECT * FROM tip_requests WHERE till_id = ? AND status = 'pending' AND created_at > ? ORDER BY created_at DESC LIMIT 1",
      till,
      nowSeconds(this.engine.clock) - TIP_REQUEST_SECONDS,
    )
    return row ? toTipRequest(row) : null
  }

  /** The customer display's answer. */
  answer(answer: TipAnswer, device: string): TipRequest {
    const row = this.pending(answer.id, device, 'display')
    const currency = row.currency as CurrencyCode
    const base = BigInt(row.base_minor)
    let tip = 0n
    let percent: number | null = null
    if (answer.choice === 'percent') {
      const offered = JSON.parse(row.percentages) as number[]
      if (answer.percent === undefined || !offered.includes(answer.percent))
        throw invalid('parameter_invalid', `percent must be one of the offered ${offered.join(', ')}`, 'percent')
      percent = answer.percent
      tip = percentTip(base, percent)
    } else if (answer.choice === 'custom') {
      if (row.custom !== 1) throw invalid('parameter_invalid', 'this shop offers no tip of your own amount', 'amount')
      if (answer.amount === undefined) throw invalid('parameter_missing', 'amount is required for a custom tip', 'amount')
      tip = parseFiatAmount(answer.amount, currency)
      if (tip < 0n) throw invalid('parameter_invalid', 'a tip cannot be negative', 'amount')
      // A slip of the finger (1000 on a coffee) is refused rather than charged: at most the price itself.
      if (tip > base) throw invalid('tip_too_large', 'A tip cannot be more than the price itself.', 'amount')
    }
    return this.makeSale(row, 'answered', tip, percent)
  }

  /** The cashier goes on without a tip. */
  skip(id: string, device: string): TipRequest {
    return this.makeSale(this.pending(id, device, 'cashier'), 'skipped', 0n, null)
  }

  /** The cashier gives the charge up: no sale. */
  cancel(id: string, device: string): TipRequest {
    const row = this.pending(id, device, 'cashier')
    run(this.engine.db, "UPDATE tip_requests SET status = 'cancelled', answered_at = ? WHERE id = ?", nowSeconds(this.engine.clock), row.id)
    return this.emit(row.id)
  }

  /**
   * The request, if `device` may act on it and it still waits: the till's own devices (the cashier's side),
   * or a display paired with that till and the device that charged (the customer's side). Another till's
   * request is not found at all.
   */
  private pending(id: string, device: string, side: 'cashier' | 'display'): TipRow {
    const row = this.row(id)
    if (!row || !this.mayAct(row, device, side)) throw notFound(`no tip request "${String(id).slice(0, 64)}" at this till`, 'id')
    if (row.status !== 'pending' || row.created_at <= nowSeconds(this.engine.clock) - TIP_REQUEST_SECONDS)
      throw conflict('tip_request_closed', 'This tip request is already answered, skipped or over.', 'id')
    return row
  }

  private mayAct(row: TipRow, device: string, side: 'cashier' | 'display'): boolean {
    if (device === row.device) return true
    let info
    try {
      info = this.engine.devices.get(device)
    } catch {
      return false
    }
    if (info.revoked_at !== null || info.till !== row.till_id) return false
    return side === 'display' ? info.role_hint === 'display' : info.role_hint === 'cashier'
  }

  /** Makes the charged sale with its tip; a sale the engine refuses (networks offline…) leaves the request failed, in words. */
  private makeSale(row: TipRow, status: 'answered' | 'skipped', tip: bigint, percent: number | null): TipRequest {
    const currency = row.currency as CurrencyCode
    const sale = JSON.parse(row.sale) as CreateSaleInput
    const base = BigInt(row.base_minor)
    const now = nowSeconds(this.engine.clock)
    try {
      transaction(this.engine.db, () => {
        const input = saleInput(this.engine, { ...sale, amount: formatMinor(base + tip, currency) }, row.till_id)
        const { session } = this.engine.sessions.create({ ...input, tipAmount: formatMinor(tip, currency) })
        run(
          this.engine.db,
          'UPDATE tip_requests SET status = ?, tip_minor = ?, percent = ?, session_id = ?, answered_at = ? WHERE id = ?',
          status,
          Number(tip),
          percent,
          session.id,
          now,
          row.id,
        )
      })
    } catch (error) {
      const contractError = toContractError(error)
      log('tips').warn({ tip_request: row.id, code: contractError.code }, 'the tipped sale could not be made')
      run(
        this.engine.db,
        "UPDATE tip_requests SET status = 'failed', tip_minor = ?, percent = ?, error = ?, answered_at = ? WHERE id = ?",
        Number(tip),
        percent,
        JSON.stringify(contractError),
        now,
        row.id,
      )
    }
    return this.emit(row.id)
  }
}

export function registerTipHandlers(registry: HandlerRegistry, engine: Engine): void {
  const tips = new Tips(engine)
  registry.register('tips:request', (sale, caller) => {
    uiScope(engine)
    return tips.request(sale, caller.device)
  })
  registry.register('tips:current', (_input, caller) => tips.current(caller.device))
  registry.register('tips:answer', (answer, caller) => tips.answer(answer, caller.device))
  registry.register('tips:skip', ({ id }, caller) => tips.skip(id, caller.device))
  registry.register('tips:cancel', ({ id }, caller) => tips.cancel(id, caller.device))
}
