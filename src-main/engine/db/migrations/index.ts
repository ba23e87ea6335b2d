import type Database from 'better-sqlite3'
import { m0001Baseline } from './0001-baseline'
import { m0002ReversalAlerts } from './0002-reversal-alerts'
import { m0003Refunds } from './0003-refunds'
import { m0004Owner } from './0004-owner'
import { m0005DevicesTills } from './0005-devices-tills'
import { m0006LineItems } from './0006-line-items'
import { m0007ApiSigning } from './0007-api-signing'
import { m0008Products } from './0008-products'
import { m0009TipsShifts } from './0009-tips-shifts'
import { m0010OrderNumbers } from './0010-order-numbers'
import { m0011AmountSearchTillName } from './0011-amount-search-till-name'

export type Migration = (db: Database.Database) => void

/**
 * Numbered, append-only. Never edit a shipped migration: add the next one as a
 * small file of its own (`0002-what-it-does.ts`). Index i holds migration i+1
 * (`PRAGMA user_version` counts them).
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001Baseline,
  m0002ReversalAlerts,
  m0003Refunds,
  m0004Owner,
  m0005DevicesTills,
  m0006LineItems,
  m0007ApiSigning,
  m0008Products,
  m0009TipsShifts,
  m0010OrderNumbers,
  m0011AmountSearchTillName,
]
