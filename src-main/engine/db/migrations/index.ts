import type Database from 'better-sqlite3'
import { m0001Core } from './0001-core'

export type Migration = (db: Database.Database) => void

/**
 * Numbered, append-only. Never edit a shipped migration: add the next one.
 * Index i holds migration i+1 (`PRAGMA user_version` counts them).
 */
export const MIGRATIONS: readonly Migration[] = [m0001Core]
