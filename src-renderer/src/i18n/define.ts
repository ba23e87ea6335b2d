/**
 * The shape every string file uses:
 *
 *   export const ownerStrings = defineStrings({
 *     'history.title': { en: 'History', zh: '历史记录' },
 *     'history.end': { en: { one: 'That is all: {n} sale.', other: 'That is all: {n} sales.' }, zh: '已全部显示：共 {n} 笔。' },
 *   })
 *
 * Each key carries both languages, so a missing translation is a compile
 * error where the string is written, not a blank on the counter. Keys are
 * prefixed by area ("cashier.", "setup.", "history.") so merged files cannot
 * collide; a unit test also checks that no key is defined twice.
 * Placeholders are `{name}`, filled by `t(key, { name })`.
 *
 * A phrase with a count gives its forms instead of one string (plural.ts);
 * the count is the `n` parameter, which picks the form and is shown with
 * the language's digit grouping ("1,234 sales").
 */
import type { PluralForms } from './plural'
import { plural } from './plural'

export type Text = string | PluralForms

export interface Translation {
  en: Text
  zh: Text
}

export type StringTable = Record<string, Translation>

export function defineStrings<const T extends StringTable>(table: T): T {
  return table
}

export type Language = 'en' | 'zh-CN'

export type Params = Record<string, string | number>

export function fill(template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** The entry in `language`, its placeholders filled; for a phrase with a count, in the form `params.n` asks for. */
export function localize(entry: Translation, language: Language, params?: Params): string {
  const text = language === 'zh-CN' ? entry.zh : entry.en
  if (typeof entry.en === 'string' && typeof entry.zh === 'string') return fill(text as string, params)
  const count = Number(params?.n)
  const forms = typeof text === 'string' ? { other: text } : text
  if (!Number.isFinite(count)) return fill(forms.other, params)
  return fill(plural(language, count, forms), { ...params, n: new Intl.NumberFormat(language).format(count) })
}
