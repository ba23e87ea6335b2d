import type { Db } from '../../src-main/engine'

/** Every SQL text the engine prepares on `db` from now on (the statement cache prepares each once), for query-plan checks. */
export function recordStatements(db: Db): Set<string> {
  const seen = new Set<string>()
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    seen.add(sql)
    return prepare(sql)
  }) as typeof db.prepare
  return seen
}
