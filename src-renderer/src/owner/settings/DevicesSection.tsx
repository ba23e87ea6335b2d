import { useState } from 'react'
import type { DeviceRoleHint } from '../../../../src-preload/contract'
import { QrCode } from '../../components'
import { useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { useOwnerT } from '../i18n'
import { useDevicesStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'

/** The address a pairing code opens when the till is not on the LAN: this screen's own origin. */
const pairingUrl = (code: string, roleHint: DeviceRoleHint) =>
  `${window.location.origin}/?pair=${code}${roleHint === 'display' ? '#/customer' : ''}`

/**
 * Owner → Devices (#13): every device with its till, role, last use and
 * address, rename / move to another till / revoke; a one-time pairing code
 * with its QR for a new tablet or customer display; the tills themselves.
 */
export function DevicesSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const { devices, tills, me, pairing, error } = useDevicesStore()
  const store = useDevicesStore.getState()
  const [pairTill, setPairTill] = useState<string>('till_1')
  const [newTill, setNewTill] = useState('')
  const when = (at: number) => formatShortDateTime(at, zone, language)
  const lan = me?.lan_origins ?? []

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="devices">
      <div className="owner-card-head">
        <h2 id={`${id}-title`}>{t('settings.devices.title')}</h2>
        <div className="owner-actions">
          <label className="owner-field">
            <span className="field-label">{t('settings.devices.pairFor')}</span>
            <select className="input" value={pairTill} onChange={(e) => setPairTill(e.target.value)} data-testid="pair-till">
              {tills.map((till) => (
                <option key={till.id} value={till.id}>
                  {till.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void store.pair(pairTill, 'cashier')}
            data-testid="pair-cashier"
          >
            {t('settings.devices.pairCashier')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => void store.pair(pairTill, 'display')}
            data-testid="pair-display"
          >
            {t('settings.devices.pairDisplay')}
          </button>
        </div>
      </div>
      <p className="help">{t('settings.devices.help')}</p>
      {lan.length > 0 ? (
        <p className="notice notice-warn" role="note" data-testid="plain-http-warning">
          {t('settings.devices.plainHttp', { origins: lan.join(', ') })}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {pairing ? (
        <div
          className="owner-pairing"
          data-testid="pairing"
          data-code={pairing.code}
          data-url={pairing.url ?? pairingUrl(pairing.code, pairing.role_hint)}
        >
          <h3>{t('settings.devices.pairTitle')}</h3>
          <p className="token-amount mono" data-testid="pairing-code">
            {pairing.code.slice(0, 5)}-{pairing.code.slice(5)}
          </p>
          <QrCode
            value={pairing.url ?? pairingUrl(pairing.code, pairing.role_hint)}
            size={220}
            label={t('settings.devices.pairTitle')}
            testId="pairing-qr"
          />
          <p className="help">{t('settings.devices.pairHelp', { time: when(pairing.expires_at) })}</p>
          <p className="mono">{pairing.url ?? pairingUrl(pairing.code, pairing.role_hint)}</p>
          <button type="button" className="btn btn-primary" onClick={() => store.closePairing()} data-testid="pairing-done">
            {t('settings.devices.pairDone')}
          </button>
        </div>
      ) : null}
      <table className="owner-table" data-testid="device-list">
        <thead>
          <tr>
            <th>{t('settings.devices.name')}</th>
            <th>{t('settings.devices.role')}</th>
            <th>{t('settings.devices.till')}</th>
            <th>{t('settings.devices.lastSeen')}</th>
            <th>{t('settings.devices.address')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {/* The desktop window's own device means nothing to a browser in serve mode. */}
          {devices
            .filter((device) => device.id !== 'local' || me?.device.id === 'local')
            .map((device) => (
              <tr key={device.id} data-testid="device" data-device-id={device.id} data-revoked={device.revoked_at !== null}>
                <td>
                  <input
                    className="input"
                    defaultValue={device.name}
                    aria-label={t('settings.devices.rename')}
                    disabled={device.revoked_at !== null}
                    onBlur={(e) => {
                      const name = e.target.value.trim()
                      if (name && name !== device.name) void store.update(device.id, { name })
                    }}
                  />
                  {device.id === me?.device.id ? <span className="muted"> ({t('settings.devices.thisDevice')})</span> : null}
                </td>
                <td>{t(device.role_hint === 'display' ? 'settings.devices.role.display' : 'settings.devices.role.cashier')}</td>
                <td>
                  <select
                    className="input"
                    value={device.till}
                    disabled={device.revoked_at !== null}
                    onChange={(e) => void store.update(device.id, { till: e.target.value })}
                    data-testid="device-till"
                  >
                    {tills.map((till) => (
                      <option key={till.id} value={till.id}>
                        {till.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{when(device.last_seen_at)}</td>
                <td className="mono">{device.address ?? '—'}</td>
                <td>
                  {device.revoked_at !== null ? (
                    <span className="muted">{t('settings.devices.revoked')}</span>
                  ) : device.id !== 'local' && device.id !== me?.device.id ? (
                    <button
                      type="button"
                      className="btn btn-danger"
                      onClick={() => void store.revoke(device.id)}
                      data-testid="device-revoke"
                    >
                      {t('settings.devices.revoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>{t('settings.devices.tills')}</h3>
      <ul className="owner-list" data-testid="till-list">
        {tills.map((till) => (
          <li key={till.id} className="owner-line">
            <input
              className="input"
              defaultValue={till.name}
              aria-label={t('settings.devices.rename')}
              onBlur={(e) => {
                const name = e.target.value.trim()
                if (name && name !== till.name) void store.renameTill(till.id, name)
              }}
            />
          </li>
        ))}
      </ul>
      <form
        className="owner-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (newTill.trim()) void store.addTill(newTill.trim()).then(() => setNewTill(''))
        }}
      >
        <input
          className="input"
          placeholder={t('settings.devices.newTill')}
          value={newTill}
          onChange={(e) => setNewTill(e.target.value)}
          data-testid="new-till"
        />
        <button type="submit" className="btn btn-secondary" data-testid="add-till">
          {t('settings.devices.addTill')}
        </button>
      </form>
    </section>
  )
}
