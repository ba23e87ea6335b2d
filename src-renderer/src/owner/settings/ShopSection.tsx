import type { FormEvent } from 'react'
import { useMemo } from 'react'
import { CURRENCY_CODES, currencyName, useLanguage } from '../../i18n'
import { SaveNote } from '../components'
import { useOwnerT } from '../i18n'
import { useShopSettingsStore } from '../state'
import { timeZones } from '../time'

/** Shop name, price currency and time zone. */
export function ShopSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const merchant = useShopSettingsStore((s) => s.merchant)
  const loadError = useShopSettingsStore((s) => s.loadError)
  const name = useShopSettingsStore((s) => s.name)
  const currency = useShopSettingsStore((s) => s.currency)
  const timeZone = useShopSettingsStore((s) => s.timeZone)
  const save = useShopSettingsStore((s) => s.shopSave)
  const edit = useShopSettingsStore((s) => s.edit)
  const saveShop = useShopSettingsStore((s) => s.saveShop)
  const zones = useMemo(() => timeZones(), [])

  const nameError = name.trim() === '' ? t('settings.shop.nameEmpty') : null
  const zoneError = zones.includes(timeZone) ? null : t('settings.shop.timeZoneUnknown', { zone: timeZone })
  const changed = merchant !== null && (name.trim() !== merchant.name || currency !== merchant.currency || timeZone !== merchant.time_zone)
  const valid = !nameError && !zoneError

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (valid && changed) void saveShop()
  }

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.shop.title')}</h2>
      {loadError ? (
        <p className="notice notice-bad" role="alert">
          {t('settings.loadFailed', { message: loadError })}
        </p>
      ) : null}
      <form onSubmit={submit} className="owner-form-grid" data-testid="shop-form">
        <label className="field">
          <span className="field-label">{t('settings.shop.name')}</span>
          <input
            className={`input ${nameError ? 'input-invalid' : ''}`}
            value={name}
            maxLength={200}
            onChange={(e) => edit({ name: e.target.value })}
            aria-invalid={nameError ? true : undefined}
            data-testid="shop-name"
          />
          {nameError ? <p className="field-error">{nameError}</p> : null}
        </label>
        <label className="field">
          <span className="field-label">{t('settings.shop.currency')}</span>
          <select className="input" value={currency} onChange={(e) => edit({ currency: e.target.value })} data-testid="shop-currency">
            {CURRENCY_CODES.map((code) => (
              <option key={code} value={code}>
                {code} · {currencyName(code, language)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('settings.shop.timeZone')}</span>
          <input
            className={`input ${zoneError ? 'input-invalid' : ''}`}
            list="owner-time-zones"
            value={timeZone}
            onChange={(e) => edit({ timeZone: e.target.value.trim() })}
            aria-invalid={zoneError ? true : undefined}
            spellCheck={false}
            data-testid="shop-time-zone"
          />
          <datalist id="owner-time-zones">
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {zoneError ? <p className="field-error">{zoneError}</p> : <span className="help">{t('settings.shop.timeZoneHelp')}</span>}
        </label>
        <div className="owner-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!valid || !changed || save.state === 'saving'}
            data-testid="shop-save"
          >
            {t('settings.save')}
          </button>
          <SaveNote save={save} savedLabel={t('settings.saved')} savingLabel={t('settings.saving')} testId="shop-save-note" />
        </div>
      </form>
    </section>
  )
}
