import type { AppSettings } from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, get, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { nameDefaultTill } from '../devices'

const DEFAULTS: AppSettings = {
  language: 'en',
  livemode: false,
  auto_new_sale_seconds: 5,
  confirm_amount_above: '1000',
  // #15: the counter's own choices, from Settings.
  late_window_seconds: 24 * 3600,
  sound_on_paid: true,
  theme: 'system',
  // Receipts (#16): the common 80 mm roll; printing stays a choice of the cashier unless turned on.
  receipt_layout: '80mm',
  receipt_auto_print: false,
  receipt_printer: null,
  // Desktop (#16): an ordinary window unless the owner turns kiosk mode on.
  kiosk: false,
  // Tips (#17): off until the owner turns them on; the usual café buttons, and an amount of the customer's own.
  tips_enabled: false,
  tip_percentages: [10, 15, 20],
  tip_custom: true,
  // Catalog (#17): most of the world's shelf prices hold their tax (VAT, GST).
  tax_mode: 'included',
}

/** Small key/value preferences of the app itself (not of a merchant). */
export class Settings {
  constructor(private readonly db: Db) {}

  get(): AppSettings {
    const rows = all<{ key: string; value: string }>(this.db, 'SELECT key, value FROM settings')
    // The table also holds other modules' settings (backup.*): only the app's own preferences are these.
    const stored = Object.fromEntries(rows.filter((r) => Object.hasOwn(DEFAULTS, r.key)).map((r) => [r.key, JSON.parse(r.value) as unknown]))
    return { ...DEFAULTS, ...(stored as Partial<AppSettings>) }
  }

  /** `patch` is already checked: by the channel's schema (settings:update) or the config file's. */
  update(patch: Partial<AppSettings>): AppSettings {
    transaction(this.db, () => {
      for (const [key, value] of Object.entries(patch))
        // null is a value here (receipt_printer: null is "the default printer"); only undefined means "not given".
        if (Object.hasOwn(DEFAULTS, key) && value !== undefined)
          this.put(key, value)
      // The shop's language is also the first till's, wherever its name shows (#15).
      if (patch.language !== undefined) nameDefaultTill(this.db, patch.language)
    })
    return this.get()
  }

  /** A setting another module keeps in this table (`backup.daily_at`), or null when it was never set. */
  read<T>(key: string): T | null {
    const row = get<{ value: string }>(this.db, 'SELECT value FROM settings WHERE key = ?', key)
    return row ? (JSON.parse(row.value) as T) : null
  }

  put(key: string, value: unknown): void {
    run(this.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value))
  }
}
