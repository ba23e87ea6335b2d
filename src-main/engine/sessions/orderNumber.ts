import { safeTimeZone, shopDay } from '../../../src-preload/shared/time'
import type { Db } from '../db'
import { value } from '../db/sql'

export interface OrderNumber {
  /** "A-0042": what the cashier calls out and the customer reads on the receipt. */
  number: string
  /** The shop day it counts in ("2026-03-29"). */
  day: string
  seq: number
}

/** A till's letter: till_1 is A, till_2 is B, … till_27 is AA (tills are numbered by the app, never renamed by id). */
export function tillLetter(tillId: string): string {
  let n = Number(/^till_(\d+)$/.exec(tillId)?.[1] ?? 1)
  let letters = ''
  while (n > 0) {
    const rest = (n - 1) % 26
    letters = String.fromCharCode(65 + rest) + letters
    n = Math.floor((n - 1) / 26)
  }
  return letters || 'A'
}

/**
 * The next order number at this till today (the shop's day, in its time
 * zone): a short counter a person can say, starting at 1 each morning. Called
 * inside the sale's write transaction, so two sales never get the same one
 * (the unique index would refuse it anyway).
 */
export function nextOrderNumber(db: Db, tillId: string, now: number, timeZone: string): OrderNumber {
  const day = shopDay(now, safeTimeZone(timeZone))
  const seq = (value<number | null>(db, 'SELECT MAX(order_seq) FROM sessions WHERE till_id = ? AND order_day = ?', tillId, day) ?? 0) + 1
  return { number: `${tillLetter(tillId)}-${String(seq).padStart(4, '0')}`, day, seq }
}
