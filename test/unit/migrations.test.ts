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
