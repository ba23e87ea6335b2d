import type { WebhookAttempt, WebhookDelivery } from '../../../src-preload/contract'

/** A delivery row with its endpoint's public id, as the delivery log reads it. */
export interface DeliveryViewRow {
  seq: number
  id: string
  endpoint_seq: number
  endpoint_id: string
  event_seq: number | null
  event_id: string
  event_type: string
  session_id: string | null
  test_body: string | null
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_ms: number | null
  last_status: number | null
  last_error: string | null
  created_ms: number
  finished_ms: number | null
}

export const DELIVERY_VIEW = `SELECT d.*, e.id AS endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.seq = d.endpoint_seq`

export interface AttemptRow {
  delivery_id: string
  at_ms: number
  status: number | null
  duration_ms: number
  error: string | null
  response_snippet: string | null
}

export const ATTEMPT_VIEW = `SELECT w.id AS delivery_id, a.at_ms, a.status, a.duration_ms, a.error, a.response_snippet
  FROM webhook_attempts a JOIN webhook_deliveries w ON w.seq = a.delivery_seq`

// The contract speaks unix seconds like every other *_at field; the database keeps milliseconds for scheduling.
export function toDelivery(row: DeliveryViewRow): WebhookDelivery {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    endpoint_id: row.endpoint_id,
    session_id: row.session_id,
    state: row.state,
    attempts: row.attempts,
    // Rounded up: "next attempt at" must not read as earlier than it is.
    next_attempt_at: row.next_attempt_ms === null ? null : Math.ceil(row.next_attempt_ms / 1000),
    last_status: row.last_status,
    last_error: row.last_error,
    created_at: Math.floor(row.created_ms / 1000),
  }
}

export function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    delivery_id: row.delivery_id,
    at: Math.floor(row.at_ms / 1000),
    status: row.status,
    duration_ms: row.duration_ms,
    error: row.error,
    response_snippet: row.response_snippet,
  }
}
