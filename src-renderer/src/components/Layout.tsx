import type { ReactNode } from 'react'
import { useT } from '../i18n'
import { useAppStore } from '../state/app'
import type { Route } from '../state/route'
import { routeHref } from '../state/route'
import { ReversalBanner } from './ReversalBanner'
import { LockButton, OwnerPrompt, RecoveryCodeDialog } from './OwnerPin'
import { ReceiveNotice } from './ReceiveNotice'

const NAV: Array<{ route: Route; key: 'nav.sale' | 'nav.history' | 'nav.webhooks' | 'nav.settings' | 'nav.audit' | 'nav.report' }> = [
  { route: '/', key: 'nav.sale' },
  // Shifts and the end-of-day report (#17).
  { route: '/report', key: 'nav.report' },
  { route: '/history', key: 'nav.history' },
  { route: '/webhooks', key: 'nav.webhooks' },
  { route: '/settings', key: 'nav.settings' },
  { route: '/audit', key: 'nav.audit' },
]

/** Switches language at once and remembers it in the engine's settings. */
export function LanguageSwitch() {
  const t = useT()
  const language = useAppStore((s) => s.language)
  const setLanguage = useAppStore((s) => s.setLanguage)
  return (
    <button
      type="button"
      className="btn btn-ghost lang-switch"
      lang={language === 'zh-CN' ? 'en' : 'zh-CN'}
      aria-label={t('language.switchToLabel')}
      data-testid="language-switch"
      onClick={() => void setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('language.switchTo')}
    </button>
  )
}

// A browser tab (serve mode) and the desktop shell both open it from here; the shell allows exactly
// this one window (and already opened it on a second screen when there is one).
function openCustomerDisplay(): void {
  // A named window: pressing again brings the same display back instead of opening a second one.
  const url = `${window.location.href.split('#')[0]}#/customer`
  window.open(url, 'stablepay-customer-display')
}

/** This screen reaches the till across the shop's network, not on this machine: the traffic is plain HTTP (#13). */
function overLan(): boolean {
  const host = window.location.hostname
  return window.location.protocol === 'http:' && host !== '' && host !== 'localhost' && host !== '[::1]' && !host.startsWith('127.')
}

/** The shell of every staff screen: shop name, test-mode badge, navigation, language. */
export function Layout({ route, shopName, children }: { route: Route; shopName: string | null; children: ReactNode }) {
  const t = useT()
  const livemode = useAppStore((s) => s.settings?.livemode ?? false)
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-name">{shopName ?? t('app.name')}</span>
          <span className={`mode-badge ${livemode ? 'mode-live' : 'mode-test'}`} data-testid="mode-badge">
            {livemode ? t('mode.live') : t('mode.test')}
          </span>
        </div>
        <nav className="nav" aria-label={t('nav.main')}>
          {NAV.map((item) => (
            <a key={item.route} href={routeHref(item.route)} className="nav-link" aria-current={route === item.route ? 'page' : undefined}>
              {t(item.key)}
            </a>
          ))}
        </nav>
        <div className="topbar-actions">
          <button type="button" className="btn btn-ghost" onClick={openCustomerDisplay} data-testid="open-customer-display">
            {t('nav.customerDisplay')}
          </button>
          <LockButton />
          <LanguageSwitch />
        </div>
      </header>
      <ReceiveNotice route={route} />
      <ReversalBanner />
      <OwnerPrompt />
      <RecoveryCodeDialog />
      {overLan() ? (
        <p className="notice notice-warn plain-http" role="note" data-testid="plain-http-note">
          {t('app.plainHttp')}
        </p>
      ) : null}
      <main className="screen">{children}</main>
    </div>
  )
}
