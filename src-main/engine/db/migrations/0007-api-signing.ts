import type Database from 'better-sqlite3'

/**
 * Signed API requests (#12).
 *
 * Each API key gets an API secret that signs requests (HMAC-SHA256). Unlike
 * the key, which is kept only as a hash, the secret must be read back to
 * check a signature, so it is stored sealed by the same secret box as the
 * webhook secrets (a copy of the database alone does not reveal it). Keys
 * made before this migration have none until the owner makes one.
 *
 * `signed_only`: the key is refused on any request that is not signed, in
 * both dialects (/v1 otherwise checks a signature only when one is sent).
 *
 * Nonces a key has used are kept 10 minutes (the clock window is 5) so a
 * captured request cannot be sent again, even after a restart; the HTTP
 * server prunes older ones.
 *
 * Webhook endpoints can now be deleted over the API: the row stays (its
 * deliveries and attempts point at it, and the owner's log keeps them),
 * switched off and marked deleted, and is no longer listed or found.
 */
export function m0007ApiSigning(db: Database.Database): void {
  db.exec(`
    ALTER TABLE api_keys ADD COLUMN secret_sealed TEXT;
    ALTER TABLE api_keys ADD COLUMN secret_created_at INTEGER;
    ALTER TABLE api_keys ADD COLUMN signed_only INTEGER NOT NULL DEFAULT 0 CHECK (signed_only IN (0, 1));

    CREATE TABLE api_nonces (
      api_key_id TEXT NOT NULL,
      nonce TEXT NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (api_key_id, nonce)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX api_nonces_seen_at ON api_nonces (seen_at);

    ALTER TABLE webhook_endpoints ADD COLUMN deleted_at INTEGER;
  `)
}
