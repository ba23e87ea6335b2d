import type Database from 'better-sqlite3'

/**
 * Webhook endpoints, deliveries (one per event per endpoint) and every attempt.
 *
 * Fan-out is a trigger on the outbox (`events`): the deliveries for an event
 * are written in the same transaction as the event itself, so a crash can never
 * leave an event that no endpoint will hear about. Only endpoints that exist
 * and are enabled at commit time get one (events are not replayed to endpoints
 * added later).
 *
 * Scheduling times are milliseconds (`*_ms`): backoffs start at seconds and
 * the delivery log orders attempts within a second.
 */
export function m0003Webhooks(db: Database.Database): void {
  db.exec(`
    CREATE TABLE webhook_endpoints (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      merchant_id TEXT NOT NULL REFERENCES merchants(id),
      url TEXT NOT NULL,
      -- Sealed by the secret box (safeStorage or a 0600 key file); never the plain secret.
      secret_sealed TEXT NOT NULL,
      -- JSON array of event types, or ["*"].
      events TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      -- 'config': named by the config file, which finds it again by (merchant, url).
      source TEXT NOT NULL CHECK (source IN ('app', 'config')),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id, seq);

    CREATE TABLE webhook_deliveries (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      endpoint_seq INTEGER NOT NULL REFERENCES webhook_endpoints(seq),
      -- The outbox row whose frozen body is sent; NULL only for a "send test event" delivery.
      event_seq INTEGER REFERENCES events(seq),
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      session_id TEXT,
      -- A test event is not a shop event, so it is not in the outbox: its body lives here.
      test_body TEXT,
      state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms INTEGER,
      last_status INTEGER,
      last_error TEXT,
      created_ms INTEGER NOT NULL,
      finished_ms INTEGER,
      CHECK ((event_seq IS NULL) <> (test_body IS NULL)),
      CHECK ((state = 'pending') = (next_attempt_ms IS NOT NULL))
    ) STRICT;
    -- The sender's work queue: pending deliveries of one endpoint, soonest first.
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_seq, next_attempt_ms, seq) WHERE state = 'pending';
    -- Per endpoint, a session's events go out in order: "is an earlier one still pending?"
    CREATE INDEX webhook_deliveries_session_order ON webhook_deliveries (endpoint_seq, session_id, seq) WHERE state = 'pending';
    CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_seq, seq);
    CREATE INDEX webhook_deliveries_by_session ON webhook_deliveries (session_id, seq);

    CREATE TABLE webhook_attempts (
      id INTEGER PRIMARY KEY,
      delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries(seq),
      at_ms INTEGER NOT NULL,
      status INTEGER,
      duration_ms INTEGER NOT NULL,
      error TEXT,
      -- The first 1 KB of the response body, for the delivery log.
      response_snippet TEXT
    ) STRICT;
    CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_seq, id);

    CREATE TRIGGER webhook_fan_out AFTER INSERT ON events
    BEGIN
      INSERT INTO webhook_deliveries (id, endpoint_seq, event_seq, event_id, event_type, session_id, state, next_attempt_ms, created_ms)
      SELECT 'whd_' || lower(hex(randomblob(12))), e.seq, NEW.seq, NEW.id, NEW.type, NEW.session_id, 'pending', NEW.created * 1000, NEW.created * 1000
      FROM webhook_endpoints e
      WHERE e.merchant_id = NEW.merchant_id
        AND e.enabled = 1
        AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = '*' OR j.value = NEW.type)
      ORDER BY e.seq;
    END;
  `)
}
