import { useEffect } from 'react'
import { Button, Dialog, HealthBanner, prepareChime } from '../components'
import { formatFiat, priceDecimals, useLanguage, useT } from '../i18n'
import { keyFromKeyboard, payChoices, useAppStore, useChainClockStore, useOpenSalesStore, useSaleStore, useShopStore } from '../state'
import { ClockDriftBanner } from './ClockDriftBanner'
import { SaleEntry } from './SaleEntry'
import { ProductsEntry } from './ProductsEntry'
import { SaleModeSwitch } from './SaleModeSwitch'
import { useCatalogStore } from '../state/catalog'
import { useCartStore } from '../state/cart'
import { OpenSalesTray } from './OpenSalesTray'
import { SessionPanel } from './SessionPanel'
import { UnmatchedPayments } from './UnmatchedPayments'
import { TipWait } from './TipWait'

const INTERACTIVE_MARK = 'stablepay:cashier-interactive'
const RATES_RELOAD_MS = 5 * 60_000

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
}

/** The header (navigation, language, customer display): a click there must not take Enter away from charging. */
function isInHeader(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('.topbar') !== null
}

function isOtherControl(target: EventTarget | null): boolean {
  // A focused button or link answers Enter itself (native activation). Keypad keys and the pay-with chips
  // are part of typing the sale: Enter there still charges (Space selects a focused chip).
  return target instanceof HTMLElement && target.closest('button, a, select') !== null && target.closest('.keypad, .chips') === null
}

/** The cashier screen: type an amount, Charge, show the QR, watch it get paid, next sale. */
export function CashierScreen() {
  const t = useT()
  const merchant = useShopStore((s) => s.merchant)
  const chains = useShopStore((s) => s.chains)
  const shopLoaded = useShopStore((s) => s.loaded)
  const livemode = useAppStore((s) => s.settings?.livemode ?? false)
  const phase = useSaleStore((s) => s.phase)
  const session = useSaleStore((s) => s.session)
  const choice = useSaleStore((s) => s.choice)
  const dialog = useSaleStore((s) => s.dialog)
  const entry = useSaleStore((s) => s.entry)
  const language = useLanguage()
  // Products mode (#17): the till's choice, kept by the engine per till.
  const saleMode = useCatalogStore((s) => s.mode)
  const taxMode = useAppStore((s) => s.settings?.tax_mode ?? 'included')

  const currency = merchant?.currency ?? 'USD'
  const choices = payChoices(chains, livemode)
  const selected = choices.find((c) => c.key === choice) ?? choices[0] ?? null

  const charge = () => {
    // Charge is the user gesture that lets the "paid" chime play later.
    prepareChime()
    void useSaleStore.getState().charge(selected ? { chainId: selected.chainId, token: selected.token } : null)
  }

  useEffect(() => {
    void useSaleStore.getState().resume()
    // Networks or the price currency may have changed in Settings since the last visit.
    void useShopStore
      .getState()
      .load()
      .catch(() => undefined)
    void useChainClockStore.getState().load()
    void useOpenSalesStore.getState().load()
    void useCatalogStore
      .getState()
      .loadSaleScreen()
      .catch(() => undefined)
  }, [])

  useEffect(() => {
    // The cart became a sale: the next sale starts with an empty cart.
    if (phase === 'session') useCartStore.getState().clear()
  }, [phase])

  useEffect(() => {
    // The engine refreshes rates by itself a few times a day; looking every few minutes keeps the rate's date and
    // the stale warning true on a screen left open all day (a local call, no network).
    const loadRates = () =>
      void useShopStore
        .getState()
        .loadRates()
        .catch(() => undefined)
    loadRates()
    const timer = setInterval(loadRates, RATES_RELOAD_MS)
    return () => clearInterval(timer)
  }, [phase])

  useEffect(() => {
    // The moment the till takes input: measured by bench/ui.ts, and visible in any DevTools performance trace.
    if (shopLoaded && performance.getEntriesByName(INTERACTIVE_MARK).length === 0) performance.mark(INTERACTIVE_MARK)
  }, [shopLoaded])

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return
      const sale = useSaleStore.getState()
      if (sale.dialog) return
      if (e.key === 'Escape') {
        e.preventDefault()
        if (isTextField(e.target)) e.target.blur()
        void sale.escape()
        return
      }
      if (e.key === 'Enter') {
        // On the sale-entry screen Enter charges, even after a click in the header left a link or button focused.
        if (sale.phase === 'entry' && isInHeader(e.target)) {
          e.preventDefault()
          ;(e.target as HTMLElement).blur()
          charge()
          return
        }
        if (isOtherControl(e.target)) return
        e.preventDefault()
        if (sale.phase === 'entry') charge()
        else if (sale.phase === 'session' && sale.session && !['PENDING', 'PROCESSING'].includes(sale.session.status)) sale.newSale()
        return
      }
      // Digits type an amount on the keypad only; in products mode the cart is the amount.
      if (sale.phase !== 'entry' || isTextField(e.target) || useCatalogStore.getState().mode === 'products') return
      const key = keyFromKeyboard(e.key)
      if (key) {
        e.preventDefault()
        sale.press(key, priceDecimals(currency))
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  })

  if (phase === 'tip') {
    return (
      <div className="cashier" data-testid="cashier" data-ready={shopLoaded}>
        <HealthBanner />
        <TipWait />
      </div>
    )
  }
  if (phase === 'session' && session) {
    return (
      <div className="cashier" data-testid="cashier">
        <HealthBanner />
        <ClockDriftBanner />
        <UnmatchedPayments />
        <SessionPanel session={session} />
        <OpenSalesTray />
      </div>
    )
  }
  return (
    <div className="cashier" data-testid="cashier" data-ready={shopLoaded}>
      <HealthBanner />
      <ClockDriftBanner />
      <UnmatchedPayments />
      <SaleModeSwitch />
      {saleMode === 'products' ? (
        <ProductsEntry
          currency={currency}
          taxMode={taxMode}
          choices={choices}
          selected={selected}
          onCharge={charge}
          ready={shopLoaded}
          modeName={livemode ? t('mode.live') : t('mode.test')}
        />
      ) : (
        <SaleEntry
          currency={currency}
          choices={choices}
          selected={selected}
          onCharge={charge}
          ready={shopLoaded}
          modeName={livemode ? t('mode.live') : t('mode.test')}
        />
      )}
      <OpenSalesTray />
      {dialog === 'confirm-large' ? (
        <Dialog
          title={t('cashier.largeTitle')}
          onClose={() => useSaleStore.getState().closeDialog()}
          actions={
            <>
              <Button
                variant="primary"
                size="lg"
                data-testid="confirm-large"
                onClick={() => {
                  prepareChime()
                  void useSaleStore.getState().charge(useSaleStore.getState().pendingTarget, true)
                }}
              >
                {t('cashier.largeConfirm')}
              </Button>
              <Button size="lg" onClick={() => useSaleStore.getState().closeDialog()} data-testid="large-back">
                {t('cashier.largeBack')}
              </Button>
            </>
          }
        >
          <p data-testid="large-amount">{t('cashier.largeText', { amount: formatFiat(entry.replace(/\.$/, ''), currency, language) })}</p>
          <p className="hint">{t('cashier.largeHint')}</p>
        </Dialog>
      ) : null}
    </div>
  )
}
