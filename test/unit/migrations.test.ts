import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseTooNewError, LATEST_SCHEMA, migrate, openDatabase, schemaVersion } from '../../src-main/engine/db'
import type { Migration } from '../../src-main/engine/db/migrations'
import { makeTempDir } from '../support/tempDir'
import { MIGRATIONS } from '../../src-main/engine/db/migrations'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))
const SHOP = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
const USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const file = () => join((dir = mkdtempSync(join(tmpdir(), 'stablepay-mig-'))), 'shop.sqlite')

const tables = (db: Database.Database) =>
  db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{
    name: string
    sql: string
  }>

/** A later migration as a developer would add it: a small numbered step on top of the baseline. */
const addNote: Migration = (db) => db.exec('ALTER TABLE merchants ADD COLUMN note TEXT')
const withNote = [...MIGRATIONS, addNote]
/** The version a developer's next migration gets. */
const NEXT = LATEST_SCHEMA + 1

const insertMerchant = (db: Database.Database) =>
  db.exec(
    `INSERT INTO merchants (id, name, currency, receive_mode, receive_address, created_at) VALUES ('m', 'Shop', 'USD', 'address', '${SHOP}', 1)`,
  )

describe('migrations', () => {
  it('a new database ends at the latest version, in WAL with synchronous=NORMAL, every table STRICT', () => {
    const db = openDatabase(file())
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    for (const t of tables(db)) expect(t.sql, t.name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?\s*$/)
    db.close()
  })

  it('after migrating, the shop gets a fresh connection: no temp database left open to join every sale’s transaction', () => {
    const path = file()
    openDatabase(path).close()
    // A step that rebuilds a table opens the connection's temp database, as this one does.
    const usesTemp: Migration = (d) => d.exec('CREATE TEMP TABLE scratch (x INTEGER); DROP TABLE temp.scratch')
    const db = openDatabase(path, [...MIGRATIONS, usesTemp])
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA + 1)
    expect(db.prepare('PRAGMA database_list').all()).toEqual([expect.objectContaining({ name: 'main' })])
    db.close()
  })

  it('0001 creates every table and the webhook fan-out trigger, and records version 1', () => {
    const db = new Database(file())
    migrate(db, 1)
    expect(schemaVersion(db)).toBe(1)
    expect(tables(db).map((t) => t.name)).toEqual(
      [
        'merchants',
        'api_keys',
        'chains',
        'tokens',
        'rates',
        'settings',
        'sessions',
        'payment_options',
        'session_timeline',
        'transfers',
        'events',
        'idempotency_keys',
        'chain_cursors',
        'chain_blocks',
        'webhook_endpoints',
        'webhook_deliveries',
        'webhook_attempts',
      ].sort(),
    )
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).pluck().all()).toEqual(['webhook_fan_out'])
    db.close()
  })

  it('the database itself guards sales: one row per session id, one live session per order, one hold per amount', () => {
    const db = openDatabase(file())
    insertMerchant(db)
    const session = (id: string, order: string, status: string) =>
      db.exec(`INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
          usd_cents, required_confirmations, updated_at) VALUES ('${id}', 'm', 0, '${order}', 500, 'USD', '{}', '${status}', 100, 1000, 500, 1, 100)`)
    const hold = (seq: number, amount: string) =>
      db.exec(`INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
        VALUES (${seq}, 'payment', 31337, 'USDC', '${USDC}', 6, '${SHOP}', '${amount}', 0, '${amount}')`)
    session('ps_a', 'o1', 'CANCELLED')
    expect(() => session('ps_a', 'o2', 'PENDING')).toThrow(/UNIQUE constraint failed: sessions.id/)
    session('ps_b', 'o1', 'PENDING')
    expect(() => session('ps_c', 'o1', 'PROCESSING')).toThrow(/UNIQUE/)
    // An order's ended sessions do not count: a new live one may follow them.
    db.exec(`UPDATE sessions SET status = 'EXPIRED' WHERE id = 'ps_b'`)
    session('ps_c', 'o1', 'PENDING')
    hold(1, '5000000')
    expect(() => hold(2, '5000000')).toThrow(/UNIQUE/)
    // A released hold frees its amount.
    db.exec(`UPDATE payment_options SET active = 0`)
    hold(2, '5000000')
    expect(() => db.exec(`UPDATE sessions SET status = 'REFUNDED' WHERE id = 'ps_a'`)).toThrow(/CHECK/)
    db.close()
  })

  it('a later migration is a small numbered step on top: applied once, in its own version, keeping existing rows', () => {
    const db = new Database(file())
    migrate(db, LATEST_SCHEMA)
    insertMerchant(db)
    let runs = 0
    const steps = [...MIGRATIONS, (d: Database.Database) => (runs++, addNote(d))]
    migrate(db, NEXT, steps)
    migrate(db, NEXT, steps)
    expect(runs).toBe(1)
    expect(schemaVersion(db)).toBe(NEXT)
    expect(db.prepare('SELECT id, note FROM merchants').all()).toEqual([{ id: 'm', note: null }])
    db.close()
  })

  it('a broken reference a damaged file already had does not stop the update; one a migration would add does', () => {
    const path = file()
    const old = new Database(path)
    migrate(old, LATEST_SCHEMA)
    old.pragma('foreign_keys = OFF')
    old.exec(`INSERT INTO webhook_attempts (delivery_seq, at_ms, duration_ms) VALUES (999, 1, 1)`)
    old.close()
    const db = openDatabase(path, withNote)
    expect(schemaVersion(db)).toBe(NEXT)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()

    const fresh = new Database(file())
    migrate(fresh, LATEST_SCHEMA)
    const orphaning = [
      ...MIGRATIONS,
      (d: Database.Database) =>
        d.exec(`INSERT INTO api_keys (id, merchant_id, key_sha256, livemode, hint, created_at) VALUES ('k', 'nobody', 'h', 0, 'h', 1)`),
    ]
    expect(() => migrate(fresh, NEXT, orphaning)).toThrow(new RegExp(`migration ${NEXT} left 1 broken reference`))
    expect(schemaVersion(fresh)).toBe(LATEST_SCHEMA)
    expect(fresh.prepare('SELECT count(*) FROM api_keys').pluck().get()).toBe(0)
    fresh.close()
  })

  it('a failing migration leaves the database at its previous version, with nothing of it kept', () => {
    const db = new Database(file())
    migrate(db, LATEST_SCHEMA)
    const failing = [
      ...MIGRATIONS,
      (d: Database.Database) => {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT')
        throw new Error('boom')
      },
    ]
    expect(() => migrate(db, NEXT, failing)).toThrow('boom')
    expect(tables(db).map((t) => t.name)).not.toContain('half_done')
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    db.close()
  })

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const path = file()
    openDatabase(path, withNote).close()
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError)
    const again = new Database(path)
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA + 1)
    expect(again.prepare(`SELECT count(*) FROM pragma_table_info('merchants') WHERE name = 'note'`).pluck().get()).toBe(1)
    again.close()
  })
})

it('refuses a data folder made by a development build before the baseline schema, naming what to do', () => {
  const dir = makeTempDir('pre-baseline')
  try {
    const file = join(dir.path, 'stablepay.sqlite')
    const old = new Database(file)
    old.exec('CREATE TABLE shop_keys (name TEXT PRIMARY KEY, key BLOB NOT NULL)')
    old.pragma('user_version = 5')
    old.close()
    expect(() => openDatabase(file)).toThrow(/development build .* new data folder/)
  } finally {
    dir.cleanupSync()
  }
})
