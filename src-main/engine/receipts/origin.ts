import type { Db } from '../db'

// Receipts (#16): the origin of the HTTP server that serves `/receipt/:id` (serve mode, or the desktop's API when
// it is on). Memory, not rows: it is kept beside the shop's connection, the way read.ts keeps "payment incoming",
// so every place that shapes a session (the UI, the REST API, webhooks) gives the same receipt_url.
const originByDb = new WeakMap<Db, string>()

/** The HTTP server started (origin, e.g. "http://192.168.1.20:7420") or stopped (null). */
export function publishReceipts(db: Db, origin: string | null): void {
  if (origin === null) originByDb.delete(db)
  else originByDb.set(db, origin.replace(/\/+$/, ''))
}

/** The public receipt page of a COMPLETED sale, absolute; null when no HTTP server runs. */
export function receiptUrl(db: Db, id: string): string | null {
  const origin = originByDb.get(db)
  return origin === undefined ? null : `${origin}/receipt/${encodeURIComponent(id)}`
}

/** The customer-facing payment page of a session (`/pay/:id`, #12), absolute; null when no HTTP server runs. */
export function paymentUrl(db: Db, id: string): string | null {
  const origin = originByDb.get(db)
  return origin === undefined ? null : `${origin}/pay/${encodeURIComponent(id)}`
}
