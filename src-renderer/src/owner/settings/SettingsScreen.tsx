import { useEffect } from 'react'
import type { OwnerKey } from '../i18n'
import { useOwnerT } from '../i18n'
import {
  startOwnerFeed,
  useApiKeysStore,
  useBackupsStore,
  useDevicesStore,
  useNetworksStore,
  useRatesStore,
  useShopSettingsStore,
} from '../state'
import { ApiKeysSection } from './ApiKeysSection'
import { ApiServerSection } from './ApiServerSection'
import { BackupsSection } from './BackupsSection'
import { CounterSection } from './CounterSection'
import { DevicesSection } from './DevicesSection'
import { LanguageSection } from './LanguageSection'
import { NetworksSection } from './NetworksSection'
import { PinSection } from './PinSection'
import { RatesSection } from './RatesSection'
import { ReceiveSection } from './ReceiveSection'
import { ReceiptsSection } from './ReceiptsSection'
import { ShopSection } from './ShopSection'
import { KioskSection } from './KioskSection'
import { TipsSection } from './TipsSection'
import { ProductsSection } from './ProductsSection'

const SECTIONS: Array<{ id: string; title: OwnerKey }> = [
  { id: 'settings-shop', title: 'settings.shop.title' },
  { id: 'settings-receive', title: 'settings.receive.title' },
  { id: 'settings-counter', title: 'settings.counter.title' },
  { id: 'settings-networks', title: 'settings.networks.title' },
  { id: 'settings-rates', title: 'settings.rates.title' },
  { id: 'settings-keys', title: 'settings.keys.title' },
  { id: 'settings-api-server', title: 'settings.apiServer.title' },
  { id: 'settings-language', title: 'settings.language.title' },
  { id: 'settings-backups', title: 'settings.backups.title' },
  { id: 'settings-pin', title: 'settings.pin.title' },
  { id: 'settings-devices', title: 'settings.devices.title' },
  { id: 'settings-products', title: 'products.title' },
]

/**
 * Settings: each section checks what is typed as it is typed, says exactly
 * what is wrong in the engine's words, and saves nothing invalid.
 */
export function SettingsScreen() {
  const t = useOwnerT()
  useEffect(() => {
    startOwnerFeed()
    void useShopSettingsStore.getState().load()
    void useNetworksStore.getState().load()
    void useNetworksStore.getState().loadStates()
    void useRatesStore.getState().load()
    void useApiKeysStore.getState().load()
    void useBackupsStore.getState().load()
    void useDevicesStore.getState().load()
  }, [])

  return (
    <div className="owner owner-page owner-settings" data-testid="settings">
      <header className="owner-head">
        <h1>{t('settings.title')}</h1>
        {/* Buttons, not #anchors: the hash is the app's router. */}
        <nav className="owner-section-nav" aria-label={t('settings.sections')}>
          {SECTIONS.map((s) => (
            <button
              key={s.id}
              type="button"
              className="btn btn-ghost"
              onClick={() => document.getElementById(s.id)?.scrollIntoView({ block: 'start' })}
            >
              {t(s.title)}
            </button>
          ))}
        </nav>
      </header>
      <ShopSection id="settings-shop" />
      <ReceiveSection id="settings-receive" />
      <CounterSection id="settings-counter" />
      <NetworksSection id="settings-networks" />
      <RatesSection id="settings-rates" />
      <ApiKeysSection id="settings-keys" />
      <ApiServerSection id="settings-api-server" />
      <KioskSection id="settings-kiosk" />
      <LanguageSection id="settings-language" />
      <ReceiptsSection id="settings-receipts" />
      <TipsSection id="settings-tips" />
      <BackupsSection id="settings-backups" />
      <PinSection id="settings-pin" />
      <DevicesSection id="settings-devices" />
      <ProductsSection id="settings-products" />
    </div>
  )
}
