import type { ComponentType } from 'react'
import { lazy, Suspense, useEffect } from 'react'
import { CashierScreen } from './cashier'
import { Layout, OwnerGate } from './components'
import { CustomerScreen } from './customer'
import { useT } from './i18n'
import { SetupScreen } from './setup'
import { navigate, OWNER_ROUTES, startFeed, useAppStore, useOwnerStore, useRoute, useShopStore } from './state'
import type { Route } from './state'

/**
 * The owner screens (`./owner/index.ts`) are loaded lazily so the cashier's
 * first paint carries none of their code. If their chunk cannot be fetched
 * (the server went away), the screen says so instead of staying blank.
 */
function ownerScreen(name: 'HistoryScreen' | 'WebhooksScreen' | 'SettingsScreen' | 'AuditScreen'): ComponentType {
  return lazy(async (): Promise<{ default: ComponentType }> => {
    try {
      const owner = await import('./owner')
      return { default: owner[name] }
    } catch {
      return { default: LoadFailed }
    }
  })
}

// Shifts and the end-of-day report (#17): loaded when opened, with the owner screens' styles it shares.
const ReportScreen = lazy(async (): Promise<{ default: ComponentType }> => {
  try {
    return { default: (await import('./report/ReportScreen')).ReportScreen }
  } catch {
    return { default: LoadFailed }
  }
})
const HistoryScreen = ownerScreen('HistoryScreen')
const WebhooksScreen = ownerScreen('WebhooksScreen')
const SettingsScreen = ownerScreen('SettingsScreen')
const AuditScreen = ownerScreen('AuditScreen')

function LoadFailed() {
  const t = useT()
  return <p className="placeholder">{t('placeholder.failed')}</p>
}

function Splash() {
  const t = useT()
  return (
    <div className="splash" aria-busy="true">
      <p>{t('app.loading')}</p>
    </div>
  )
}

function Unreachable() {
  const t = useT()
  const start = useAppStore((s) => s.start)
  const loadError = useAppStore((s) => s.loadError)
  const signedOut = useAppStore((s) => s.signedOut)
  return (
    <div className="splash" role="alert">
      {signedOut ? <p data-testid="signed-out">{t('app.signedOut')}</p> : <p>{t('app.unreachable')}</p>}
      {loadError && !signedOut ? <p className="muted">{loadError}</p> : null}
      <button type="button" className="btn btn-primary btn-lg" onClick={() => void start()}>
        {t('app.retry')}
      </button>
    </div>
  )
}

function StaffScreen({ route }: { route: Route }) {
  // Owner screens open in the owner role only: the PIN first (#13). The engine refuses their channels anyway.
  if (OWNER_ROUTES.includes(route)) return <OwnerGate>{ownerRoute(route)}</OwnerGate>
  // Shifts and the end-of-day report (#17): a cashier's own shift; the day's report asks for the PIN itself.
  if (route === '/report') return <ReportScreen />
  return <CashierScreen />
}

function ownerRoute(route: Route) {
  switch (route) {
    case '/history':
      return <HistoryScreen />
    case '/webhooks':
      return <WebhooksScreen />
    case '/settings':
      return <SettingsScreen />
    case '/audit':
      return <AuditScreen />
    default:
      return <CashierScreen />
  }
}

export function App() {
  const route = useRoute()
  const load = useAppStore((s) => s.load)
  const configured = useAppStore((s) => s.info?.configured ?? false)
  const start = useAppStore((s) => s.start)
  const merchant = useShopStore((s) => s.merchant)
  const loadShop = useShopStore((s) => s.load)

  useEffect(() => {
    startFeed()
    void start()
    // In parallel with app:info rather than after it: one round trip less before the till is usable.
    // Before first-run setup this fails (no merchant yet) and is retried below once configured.
    void loadShop().catch(() => undefined)
  }, [start, loadShop])

  useEffect(() => {
    if (load !== 'ready') return
    if (!configured && route !== '/setup' && route !== '/customer') navigate('/setup', { replace: true })
    if (configured && route === '/setup') navigate('/', { replace: true })
  }, [load, configured, route])

  const shopLoaded = useShopStore((s) => s.loaded)
  useEffect(() => {
    if (load === 'ready' && configured && !shopLoaded) void loadShop().catch(() => undefined)
  }, [load, configured, shopLoaded, loadShop])

  // The app opens in the cashier role; the engine says which this device holds (#13).
  useEffect(() => {
    if (load === 'ready') void useOwnerStore.getState().load()
  }, [load])

  if (route === '/customer') return load === 'loading' ? <Splash /> : <CustomerScreen />
  if (load === 'loading') return <Splash />
  if (load === 'unreachable') return <Unreachable />
  if (!configured) return <SetupScreen />
  if (route === '/setup') return <Splash />

  return (
    <Layout route={route} shopName={merchant?.name ?? null}>
      <Suspense fallback={<Splash />}>
        <StaffScreen route={route} />
      </Suspense>
    </Layout>
  )
}
