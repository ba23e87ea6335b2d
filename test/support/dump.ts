import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DATABASE_FILE } from '../../src-main/engine'

/** Every row of every table of a shop's database, in a stable order: "identical database" made checkable. */
export function dump(dataDir: string): Record<string, unknown[]> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]))
  } finally {
    db.close()
  }
}
