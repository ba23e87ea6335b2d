import type { Language } from '../../i18n'
import { useAppStore } from '../../state'
import { useOwnerT } from '../i18n'

const LANGUAGES: Array<{ id: Language; name: string }> = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
]

/** The till's language: switches every screen at once and is remembered by the engine. */
export function LanguageSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useAppStore((s) => s.language)
  const setLanguage = useAppStore((s) => s.setLanguage)
  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.language.title')}</h2>
      <div className="owner-radio-row" role="radiogroup" aria-label={t('settings.language.title')}>
        {LANGUAGES.map((l) => (
          <label key={l.id} className="owner-radio" lang={l.id}>
            <input
              type="radio"
              name="owner-language"
              checked={language === l.id}
              onChange={() => void setLanguage(l.id)}
              data-testid={`settings-language-${l.id}`}
            />
            {l.name}
          </label>
        ))}
      </div>
      <p className="help">{t('settings.language.help')}</p>
    </section>
  )
}
