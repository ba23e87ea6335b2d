import { useState } from 'react'
import { useErrorText, useT } from '../../i18n'
import { useAppStore } from '../../state'

/** Tips (#17): on or off for the shop, the three percentages the customer display offers, and a custom amount. */
export function TipsSection({ id }: { id: string }) {
  const t = useT()
  const errorText = useErrorText()
  const settings = useAppStore((s) => s.settings)
  const updateSettings = useAppStore((s) => s.updateSettings)
  const stored = settings?.tip_percentages ?? [10, 15, 20]
  const [percentages, setPercentages] = useState<string[]>(stored.map(String))
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const storedKey = stored.join(',')
  // The stored buttons changed (saved here, or from another screen): the fields follow.
  const [shownKey, setShownKey] = useState(storedKey)
  if (shownKey !== storedKey) {
    setShownKey(storedKey)
    setPercentages(storedKey.split(','))
  }

  const fail = (e: unknown) => {
    const err = e as { code?: string; message?: string }
    setError(errorText({ code: err.code ?? 'error', message: err.message ?? String(e) }))
  }
  const set = (patch: Parameters<typeof updateSettings>[0]) => {
    setError(null)
    setNote(null)
    return updateSettings(patch).then(
      () => true,
      (e: unknown) => (fail(e), false),
    )
  }
  const valid = percentages.every((p) => /^\d{1,3}$/.test(p) && Number(p) >= 1 && Number(p) <= 100)

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="tips-settings">
      <h2 id={`${id}-title`}>{t('tips.settings.title')}</h2>
      <label className="owner-check">
        <input
          type="checkbox"
          checked={settings?.tips_enabled ?? false}
          onChange={(e) => void set({ tips_enabled: e.target.checked })}
          data-testid="tips-enabled"
        />
        <span>{t('tips.settings.enabled')}</span>
      </label>
      <fieldset className="field">
        <legend className="field-label">{t('tips.settings.percentages')}</legend>
        <div className="owner-actions">
          {percentages.map((value, i) => (
            <input
              key={i}
              className="input tip-percent-input"
              inputMode="numeric"
              size={4}
              value={value}
              aria-label={`${t('tips.settings.percentages')} ${i + 1}`}
              onChange={(e) => setPercentages(percentages.map((p, j) => (j === i ? e.target.value.trim() : p)))}
              data-testid={`tip-percentage-${i}`}
            />
          ))}
          <button
            type="button"
            className="btn btn-primary"
            disabled={!valid || percentages.join(',') === storedKey}
            onClick={() => void set({ tip_percentages: percentages.map(Number) }).then((ok) => ok && setNote(t('tips.settings.saved')))}
            data-testid="tip-percentages-save"
          >
            {t('tips.settings.save')}
          </button>
          {note ? (
            <span className="muted" role="status">
              {note}
            </span>
          ) : null}
        </div>
      </fieldset>
      <label className="owner-check">
        <input
          type="checkbox"
          checked={settings?.tip_custom ?? true}
          onChange={(e) => void set({ tip_custom: e.target.checked })}
          data-testid="tip-custom-allowed"
        />
        <span>{t('tips.settings.custom')}</span>
      </label>
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}
