import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseTooNewError, LATEST_SCHEMA, migrate, openDatabase, schemaVersion } from '../../src-main/engine/db'
import { MIGRATIONS } from '../../src-main/engine/db/migrations'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))
const file = () => join((dir = mkdtempSync(join(tmpdir(), 'stablepay-mig-'))), 'shop.sqlite')

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string; sql: string }>)

describe('migrations', () => {
  it('a new database ends at the latest version, in WAL with synchronous=NORMAL, every table STRICT', () => {
    const db = openDatabase(file())
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    for (const t of tables(db)) expect(t.sql, t.name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?\s*$/)
    db.close()
  })

  it('0001 creates the core tables and records version 1', () => {
    const db = new Database(file())
    migrate(db, 1)
    expect(schemaVersion(db)).toBe(1)
    expect(tables(db).map((t) => t.name)).toEqual(
      expect.arrayContaining(['merchants', 'api_keys', 'chains', 'tokens', 'rates', 'settings', 'sessions', 'payment_options', 'session_timeline', 'transfers', 'events', 'idempotency_keys']),
    )
    db.close()
  })

  for (let version = 2; version <= MIGRATIONS.length; version++) {
    it(`migration ${String(version).padStart(4, '0')} applies on top of ${version - 1} and keeps existing rows`, () => {
      const db = new Database(file())
      migrate(db, version - 1)
      db.prepare(
        `INSERT INTO merchants (id, name, currency, receive_mode, receive_address, created_at) VALUES ('m', 'Shop', 'USD', 'address', '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', 1)`,
      ).run()
      migrate(db, version)
      expect(schemaVersion(db)).toBe(version)
      expect(db.prepare('SELECT count(*) AS n FROM merchants').get()).toEqual({ n: 1 })
      db.close()
    })
  }

  it('0004 keeps a shop’s sales: stored "created" steps give way to created_at, holds and the live-order rule still guard', () => {
    const path = file()
    const old = new Database(path)
    migrate(old, 3)
    old.exec(`
      INSERT INTO merchants (id, name, currency, receive_mode, receive_address, created_at)
        VALUES ('merchant_123', 'Shop', 'USD', 'address', '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', 1);
      INSERT INTO sessions (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
          usd_cents, required_confirmations, updated_at)
        VALUES (1, 'ps_old', 'merchant_123', 0, 'o1', 500, 'USD', '{}', 'CANCELLED', 100, 1000, 500, 1, 200);
      INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
        VALUES (1, 'payment', 31337, 'USDC', '0x5FbDB2315678afecb367f032d93F642f64180aa3', 6, '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
          '5000000', 0, '5000000');
      INSERT INTO session_timeline (session_seq, at, from_status, to_status, reason) VALUES
        (1, 100, NULL, 'PENDING', 'created'), (1, 200, 'PENDING', 'CANCELLED', 'cancelled');
    `)
    old.close()

    const db = openDatabase(path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    expect(db.prepare('SELECT count(*) FROM session_timeline').pluck().get()).toBe(1)
    expect(db.prepare(`SELECT status, open_order FROM sessions WHERE id = 'ps_old'`).get()).toEqual({ status: 'CANCELLED', open_order: null })
    const sameHold = `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
      SELECT 1, 'payment', chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount FROM payment_options`
    expect(() => db.exec(sameHold)).toThrow(/UNIQUE/)
    db.exec(`UPDATE sessions SET status = 'PENDING' WHERE id = 'ps_old'`)
    expect(() =>
      db.exec(`INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
          usd_cents, required_confirmations, updated_at) VALUES ('ps_new', 'merchant_123', 0, 'o1', 500, 'USD', '{}', 'PENDING', 300, 900, 500, 1, 300)`),
    ).toThrow(/UNIQUE/)
    db.close()
  })

  it('a failing migration leaves the database at its previous version', () => {
    const db = new Database(file())
    migrate(db, 1)
    expect(() =>
      db.transaction(() => {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT')
        throw new Error('boom')
      })(),
    ).toThrow('boom')
    expect(tables(db).map((t) => t.name)).not.toContain('half_done')
    expect(schemaVersion(db)).toBe(1)
    db.close()
  })

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const path = file()
    const db = openDatabase(path)
    db.pragma(`user_version = ${LATEST_SCHEMA + 1}`)
    db.close()
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError)
    const again = new Database(path)
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA + 1)
    again.close()
  })
})
