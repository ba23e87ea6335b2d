/**
 * The shape every string file uses:
 *
 *   export const ownerStrings = defineStrings({
 *     'history.title': { en: 'History', zh: '历史记录' },
 *     'history.count': { en: '{n} sales', zh: '{n} 笔销售' },
 *   })
 *
 * Each key carries both languages, so a missing translation is a compile
 * error where the string is written, not a blank on the counter. Keys are
 * prefixed by area ("cashier.", "setup.", "history.") so merged files cannot
 * collide; a unit test also checks that no key is defined twice.
 * Placeholders are `{name}`, filled by `t(key, { name })`.
 */
export interface Translation {
  en: string
  zh: string
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

export function pick(entry: Translation, language: Language): string {
  return language === 'zh-CN' ? entry.zh : entry.en
}
