import type Database from 'better-sqlite3'
import { m0001Core } from './0001-core'
import { m0002Watcher } from './0002-watcher'
import { m0003Webhooks } from './0003-webhooks'
import { m0004LeanCreate } from './0004-lean-create'
import { m0005RowsBySale } from './0005-rows-by-sale'
import { m0006IndexedReferences } from './0006-indexed-references'

export type Migration = (db: Database.Database) => void

/**
 * Numbered, append-only. Never edit a shipped migration: add the next one.
 * Index i holds migration i+1 (`PRAGMA user_version` counts them).
 */
export const MIGRATIONS: readonly Migration[] = [m0001Core, m0002Watcher, m0003Webhooks, m0004LeanCreate, m0005RowsBySale, m0006IndexedReferences]
