import type { AppSettings } from '../../../src-preload/contract'
import type { Db } from '../db'
import { all, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { invalid } from '../errors'

const DEFAULTS: AppSettings = { language: 'en', livemode: false, auto_new_sale_seconds: 5 }

/** Small key/value preferences of the app itself (not of a merchant). */
export class Settings {
  constructor(private readonly db: Db) {}

  get(): AppSettings {
    const rows = all<{ key: string; value: string }>(this.db, 'SELECT key, value FROM settings')
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
    return { ...DEFAULTS, ...(stored as Partial<AppSettings>) }
  }

  update(patch: Partial<AppSettings>): AppSettings {
    if (patch.language !== undefined && patch.language !== 'en' && patch.language !== 'zh-CN')
      throw invalid('parameter_invalid', 'language must be "en" or "zh-CN"', 'language')
    if (patch.livemode !== undefined && typeof patch.livemode !== 'boolean')
      throw invalid('parameter_invalid', 'livemode must be true or false', 'livemode')
    const secs = patch.auto_new_sale_seconds
    if (secs !== undefined && (!Number.isInteger(secs) || secs < 0 || secs > 600))
      throw invalid('parameter_invalid', 'auto_new_sale_seconds must be 0-600', 'auto_new_sale_seconds')
    transaction(this.db, () => {
      for (const [key, value] of Object.entries(patch))
        if (Object.hasOwn(DEFAULTS, key) && value !== undefined)
          run(
            this.db,
            'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
            key,
            JSON.stringify(value),
          )
    })
    return this.get()
  }
}
