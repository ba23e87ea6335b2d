/**
 * Shifts and the end-of-day report (#17). A cashier opens and closes a shift
 * at their own till; closing it reports the shift (report.ts) and sends the
 * report to the back office as a signed `report.closed` webhook, through the
 * outbox like every other event (written in the same transaction as the close).
 *
 * Who sees what: a cashier opens, closes and reads the report of their own
 * till's shift; a day's report, another till's and the shift list of every
 * till are the owner's (checked here, as the channels are the cashier's).
 */
import type { EndOfDayQuery, EndOfDayReport, Shift } from '../../../src-preload/contract'
import { addDays, dayStart, safeTimeZone, shopDay } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import { all, get, run } from '../db/sql'
import { afterCommit, transaction } from '../db/transaction'
import { conflict, invalid, notFound } from '../errors'
import type { Caller, HandlerRegistry } from '../handlers'
import { ownerRequired, uiScope } from '../handlers'
import { newId } from '../ids'
import { reportDocument } from '../receipts/report'
import { endOfDayCsv } from './csv'
import type { ReportPeriod } from './report'
import { endOfDayReport } from './report'

export { endOfDayReport } from './report'
export { endOfDayCsv, END_OF_DAY_CSV_COLUMNS } from './csv'

interface ShiftRow {
  id: string
  till_id: string
  till_name: string
  opened_at: number
  opened_by: string
  closed_at: number | null
  closed_by: string | null
}

const SHIFT_SELECT = `SELECT s.id, s.till_id, t.name AS till_name, s.opened_at, s.opened_by, s.closed_at, s.closed_by
  FROM shifts s JOIN tills t ON t.id = s.till_id`

const toShift = (r: ShiftRow): Shift => ({
  id: r.id,
  object: 'shift',
  till: r.till_id,
  till_name: r.till_name,
  status: r.closed_at === null ? 'open' : 'closed',
  opened_at: r.opened_at,
  opened_by: r.opened_by,
  closed_at: r.closed_at,
  closed_by: r.closed_by,
})

export class Shifts {
  constructor(private readonly engine: Engine) {}

  get(id: string): Shift {
    const row = get<ShiftRow>(this.engine.db, `${SHIFT_SELECT} WHERE s.id = ?`, id)
    if (!row) throw notFound(`no shift "${String(id).slice(0, 64)}"`, 'id')
    return toShift(row)
  }

  current(till: string): Shift | null {
    const row = get<ShiftRow>(this.engine.db, `${SHIFT_SELECT} WHERE s.till_id = ? AND s.closed_at IS NULL`, till)
    return row ? toShift(row) : null
  }

  list(filter: { till?: string; limit?: number }): Shift[] {
    const where = filter.till === undefined ? '' : 'WHERE s.till_id = @till'
    return all<ShiftRow>(this.engine.db, `${SHIFT_SELECT} ${where} ORDER BY s.opened_at DESC, s.id DESC LIMIT @limit`, {
      ...(filter.till === undefined ? {} : { till: filter.till }),
      limit: filter.limit ?? 20,
    }).map(toShift)
  }

  open(till: string, device: string): Shift {
    const id = newId('shift', 16)
    transaction(this.engine.db, () => {
      this.engine.devices.till(till)
      if (this.current(till)) throw conflict('shift_open', 'A shift is already open at this till: close it first.')
      run(
        this.engine.db,
        'INSERT INTO shifts (id, till_id, opened_at, opened_by) VALUES (?, ?, ?, ?)',
        id,
        till,
        nowSeconds(this.engine.clock),
        device,
      )
    })
    return this.get(id)
  }

  /** Closes the shift, reports it and writes `report.closed` to the outbox, all in one transaction. */
  close(id: string, device: string): { shift: Shift; report: EndOfDayReport } {
    return transaction(this.engine.db, () => {
      const shift = this.get(id)
      if (shift.status !== 'open') throw conflict('shift_closed', 'This shift is already closed.', 'id')
      // The close's own second is in the shift: a sale made just before pressing Close counts.
      const closedAt = Math.max(nowSeconds(this.engine.clock), shift.opened_at)
      run(this.engine.db, 'UPDATE shifts SET closed_at = ?, closed_by = ? WHERE id = ?', closedAt, device, id)
      const closed = this.get(id)
      const report = endOfDayReport(this.engine, this.shiftPeriod(closed))
      this.reportClosed(report)
      return { shift: closed, report }
    })
  }

  /** The period a shift covers: from its opening to its close (now, while open), the close's second included. */
  shiftPeriod(shift: Shift): ReportPeriod {
    const scope = uiScope(this.engine)
    return {
      merchantId: scope.merchantId,
      livemode: scope.livemode,
      till: shift.till,
      tillName: shift.till_name,
      from: shift.opened_at,
      to: (shift.closed_at ?? nowSeconds(this.engine.clock)) + 1,
      day: null,
      shift,
    }
  }

  /** A till's day in the shop's time zone (default today). */
  dayPeriod(till: string, day: string | undefined): ReportPeriod {
    const scope = uiScope(this.engine)
    const zone = safeTimeZone(this.engine.merchants.get(scope.merchantId).time_zone)
    const shown = day ?? shopDay(nowSeconds(this.engine.clock), zone)
    if (Number.isNaN(Date.parse(`${shown}T00:00:00Z`))) throw invalid('parameter_invalid', 'day must be a date like "2026-05-01"', 'day')
    return {
      merchantId: scope.merchantId,
      livemode: scope.livemode,
      till,
      tillName: this.engine.devices.till(till).name,
      from: dayStart(shown, zone),
      to: dayStart(addDays(shown, 1), zone),
      day: shown,
      shift: null,
    }
  }

  /** `report.closed`: the fan-out trigger queues it for every subscribed endpoint; the sender signs it. */
  private reportClosed(report: EndOfDayReport): void {
    const scope = uiScope(this.engine)
    const id = newId('evt')
    const created = nowSeconds(this.engine.clock)
    const body = JSON.stringify({ id, type: 'report.closed', created, livemode: scope.livemode, data: { object: report } })
    run(
      this.engine.db,
      'INSERT INTO events (id, type, merchant_id, livemode, session_id, created, body) VALUES (?, ?, ?, ?, NULL, ?, ?)',
      id,
      'report.closed',
      scope.merchantId,
      scope.livemode ? 1 : 0,
      created,
      body,
    )
    afterCommit(this.engine.db, 'outbox:written', () => this.engine.events.emitInternal('outbox:written'))
  }
}

export function registerShiftHandlers(registry: HandlerRegistry, engine: Engine): void {
  const shifts = new Shifts(engine)
  const ownTill = (caller: Caller) => engine.devices.tillOf(caller.device)
  const isOwner = (caller: Caller) => registry.roleOf(caller) === 'owner'
  /** A cashier acts on their own till's shifts only: another till's is not found for them. */
  const shiftFor = (id: string, caller: Caller) => {
    const shift = shifts.get(id)
    if (!isOwner(caller) && shift.till !== ownTill(caller)) throw notFound(`no shift "${String(id).slice(0, 64)}"`, 'id')
    return shift
  }
  const periodOf = (query: EndOfDayQuery, caller: Caller): ReportPeriod => {
    if (query.shift_id !== undefined) return shifts.shiftPeriod(shiftFor(query.shift_id, caller))
    // A day's report (all of a till's sales, every shift) is the owner's.
    if (!isOwner(caller)) throw ownerRequired()
    return shifts.dayPeriod(query.till ?? ownTill(caller), query.day)
  }

  registry.register('shifts:current', (_input, caller) => shifts.current(ownTill(caller)))
  registry.register('shifts:open', (_input, caller) => shifts.open(ownTill(caller), caller.device))
  registry.register('shifts:close', ({ id }, caller) => shifts.close(shiftFor(id, caller).id, caller.device))
  registry.register('shifts:list', (filter, caller) => shifts.list({ ...filter, till: isOwner(caller) ? filter.till : ownTill(caller) }))
  registry.register('reports:end-of-day', (query, caller) => endOfDayReport(engine, periodOf(query, caller)))
  registry.register('reports:end-of-day-csv', (query, caller) => {
    const report = endOfDayReport(engine, periodOf(query, caller))
    const name = report.shift ? `shift-${shopDay(report.from, report.time_zone)}-${report.till}` : `day-${report.day}-${report.till}`
    return { filename: `stablepay-end-of-day-${name}.csv`, csv: endOfDayCsv(report) }
  })
  registry.register('reports:end-of-day-print', ({ layout, ...query }, caller) => {
    const report = endOfDayReport(engine, periodOf(query, caller))
    const settings = engine.settings.get()
    const shop = engine.merchants.get(uiScope(engine).merchantId).name
    return reportDocument(report, layout ?? settings.receipt_layout, settings.language, shop)
  })
}
