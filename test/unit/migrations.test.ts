import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, DATABASE_FILE, ManualClock } from '../../src-main/engine'
import { DatabaseTooNewError, LATEST_SCHEMA, migrate, openDatabase, schemaVersion } from '../../src-main/engine/db'
import { MIGRATIONS } from '../../src-main/engine/db/migrations'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))
const SHOP = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
const USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const USDT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const file = () => join((dir = mkdtempSync(join(tmpdir(), 'stablepay-mig-'))), 'shop.sqlite')

const tables = (db: Database.Database) =>
  db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{
    name: string
    sql: string
  }>

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
    const old = new Database(path)
    migrate(old, 4)
    old.close()
    const db = openDatabase(path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    expect(db.prepare('PRAGMA database_list').all()).toEqual([expect.objectContaining({ name: 'main' })])
    db.close()
  })

  it('0001 creates the core tables and records version 1', () => {
    const db = new Database(file())
    migrate(db, 1)
    expect(schemaVersion(db)).toBe(1)
    expect(tables(db).map((t) => t.name)).toEqual(
      expect.arrayContaining([
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
      ]),
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
    expect(db.prepare(`SELECT status, open_order FROM sessions WHERE id = 'ps_old'`).get()).toEqual({
      status: 'CANCELLED',
      open_order: null,
    })
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

  it('0005 keeps a shop’s sales: old ids still open their sessions, options renumbered within their sale with every pointer', () => {
    const dataDir = (dir = mkdtempSync(join(tmpdir(), 'stablepay-mig-')))
    const old = new Database(join(dataDir, DATABASE_FILE))
    migrate(old, 4)
    const option = (seq: number, kind: string, token: string, amount: string) =>
      `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount, active)
        VALUES (${seq}, '${kind}', 31337, '${token}', '${token === 'USDC' ? USDC : USDT}', ${token === 'USDC' ? 6 : 18}, '${SHOP}', '${amount}', 0, '${amount}', 1)`
    old.exec(`
      INSERT INTO merchants (id, name, currency, receive_mode, receive_address, created_at) VALUES ('merchant_123', 'Shop', 'USD', 'address', '${SHOP}', 1);
      INSERT INTO sessions (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
          usd_cents, required_confirmations, updated_at, amount_due, amount_paid)
        VALUES (1, 'ps_legacyPaidSession00000', 'merchant_123', 0, 'o1', 500, 'USD', '{}', 'PROCESSING', 100, 1000, 500, 1, 200, '5000000', '2000000'),
               (2, 'ps_legacyOpenSession00000', 'merchant_123', 0, 'o2', 700, 'USD', '{}', 'PENDING', 150, 1050, 700, 1, 150, NULL, '0');
      ${option(1, 'payment', 'USDC', '5000000')};
      ${option(2, 'payment', 'USDC', '7000000')};
      ${option(2, 'payment', 'USDT', '7000000000000000000')};
      ${option(1, 'remainder', 'USDC', '3000001')};
      UPDATE sessions SET paid_option_id = 1 WHERE seq = 1;
      INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount, block_number, block_hash,
          block_timestamp, state, session_seq, option_id, seen_at)
        VALUES (31337, '0xaa', 0, 'USDC', '${USDC}', '0x1111111111111111111111111111111111111111', '${SHOP}', '2000000', 5, '0xbb', 120, 'confirmed', 1, 1, 121),
               (31337, '0xcc', 0, 'USDC', '${USDC}', '0x1111111111111111111111111111111111111111', '${SHOP}', '1', 6, '0xdd', 130, 'pending', 1, 4, 131);
    `)
    old.close()

    const engine = createEngine({ dataDir, clock: new ManualClock(2_000) })
    try {
      const db = engine.db
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
      const scope = { merchantId: 'merchant_123' }
      const paid = engine.sessions.get('ps_legacyPaidSession00000', scope)
      expect(paid).toMatchObject({
        order_id: 'o1',
        status: 'PROCESSING',
        amount_paid_base_units: '2000000',
        amount_remaining_base_units: '3000000',
      })
      expect(paid.payment_options.map((o) => o.amount_base_units)).toEqual(['5000000'])
      expect(paid.remainder_option?.amount_base_units).toBe('3000001')
      expect(engine.sessions.get('ps_legacyOpenSession00000', scope).payment_options.map((o) => o.token)).toEqual(['USDC', 'USDT'])
      // Each option now sits in its session's id range, and what pointed at it followed.
      expect(db.prepare('SELECT id, session_seq, kind FROM payment_options ORDER BY id').all()).toEqual([
        { id: 65536, session_seq: 1, kind: 'payment' },
        { id: 65537, session_seq: 1, kind: 'remainder' },
        { id: 131072, session_seq: 2, kind: 'payment' },
        { id: 131073, session_seq: 2, kind: 'payment' },
      ])
      expect(db.prepare('SELECT tx_hash, option_id FROM transfers ORDER BY id').all()).toEqual([
        { tx_hash: '0xaa', option_id: 65536 },
        { tx_hash: '0xcc', option_id: 65537 },
      ])
      expect(db.prepare('SELECT paid_option_id FROM sessions WHERE seq = 1').pluck().get()).toBe(65536)
      // The history search still finds an old sale by its id; a new sale continues the row numbers with an id of the new kind.
      expect(engine.sessions.list(scope, { search: 'ps_legacyOpenSession00000' }).data.map((s) => s.order_id)).toEqual(['o2'])
      engine.networks.update({
        chainId: 31337,
        name: 'Local',
        testnet: true,
        rpcUrls: ['http://127.0.0.1:8545'],
        tokens: [{ symbol: 'USDC', address: USDC, decimals: 6 }],
      })
      const next = engine.sessions.create({ merchantId: 'merchant_123', livemode: false, orderId: 'o3', amount: '1.00', currency: 'USD' })
      expect(engine.sessions.rowById(next.session.id)?.seq).toBe(3)
      expect(engine.sessions.ids.seqOf(next.session.id)).toBe(3)
    } finally {
      engine.close()
    }
  })

  it('a broken reference a damaged file already had does not stop the update; one a migration would add does', () => {
    const path = file()
    const old = new Database(path)
    migrate(old, 4)
    old.pragma('foreign_keys = OFF')
    old.exec(`INSERT INTO webhook_attempts (delivery_seq, at_ms, duration_ms) VALUES (999, 1, 1)`)
    old.close()
    const db = openDatabase(path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()

    const fresh = new Database(file())
    migrate(fresh, 1)
    const orphaning = [
      ...MIGRATIONS.slice(0, 1),
      (d: Database.Database) =>
        d.exec(`INSERT INTO api_keys (id, merchant_id, key_sha256, livemode, hint, created_at) VALUES ('k', 'nobody', 'h', 0, 'h', 1)`),
    ]
    expect(() => migrate(fresh, 2, orphaning)).toThrow(/migration 2 left 1 broken reference/)
    expect(schemaVersion(fresh)).toBe(1)
    fresh.close()
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
