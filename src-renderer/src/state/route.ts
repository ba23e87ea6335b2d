import { useSyncExternalStore } from 'react'

/**
 * A tiny hash router. Electron loads the UI from file://, where only the hash
 * can change without a reload, so every screen is a hash route; serve mode
 * uses the same URLs.
 */
// '/report': shifts and the end-of-day report (#17): the cashier's own shift; a day's report asks for the owner.
const ROUTES = ['/', '/customer', '/setup', '/history', '/webhooks', '/settings', '/audit', '/report'] as const
export type Route = (typeof ROUTES)[number]

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] || '/'
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : '/'
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** Screens that open only in the owner role: the PIN is asked first (#13). */
export const OWNER_ROUTES: readonly Route[] = ['/history', '/webhooks', '/settings', '/audit']

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash))
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = `#${route}`
  if (window.location.hash === hash) return
  if (options.replace) window.location.replace(hash)
  else window.location.hash = hash
}

export function routeHref(route: Route): string {
  return `#${route}`
}

/**
 * History with one sale's drawer open, and its refund form too (#11): where the
 * cashier's "refund it from History" leads. The owner area may ask who it is first.
 */
export function refundSaleHref(sessionId: string): string {
  return `#/history?session=${encodeURIComponent(sessionId)}&refund=new`
}
