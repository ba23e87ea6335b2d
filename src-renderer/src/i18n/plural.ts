import type { Language } from './define'

/**
 * The forms of a phrase that changes with a count: English says "1 sale" but
 * "0 sales" and "2 sales"; Chinese says "1 笔" and "2 笔" alike. `other` is
 * the form every language has; `one` (and, for languages that need them,
 * `two`, `few`, `many`, `zero`) are added where the language uses them.
 */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

const rules = new Map<Language, Intl.PluralRules>()

/** The form of `forms` that `count` takes in `language`, as `Intl.PluralRules` decides. */
export function plural(language: Language, count: number, forms: PluralForms): string {
  let rule = rules.get(language)
  if (!rule) {
    rule = new Intl.PluralRules(language)
    rules.set(language, rule)
  }
  return forms[rule.select(count)] ?? forms.other
}
