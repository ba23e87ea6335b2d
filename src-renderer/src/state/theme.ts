import type { AppSettings } from '../../../src-preload/contract'
import { useAppStore } from './app'

/**
 * The owner's theme (#15): `data-theme` on the page's root says which colours
 * the tokens use. "system" follows the OS, and follows it again when it
 * changes (a shop's evening switch to dark).
 */
const dark = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null

function apply(theme: AppSettings['theme']): void {
  const resolved = theme === 'system' ? (dark?.matches ? 'dark' : 'light') : theme
  document.documentElement.dataset.theme = resolved
}

let started = false

export function followTheme(): void {
  if (started) return
  started = true
  const current = () => useAppStore.getState().settings?.theme ?? 'system'
  apply(current())
  dark?.addEventListener('change', () => apply(current()))
  useAppStore.subscribe((state, previous) => {
    if (state.settings?.theme !== previous.settings?.theme) apply(current())
  })
}
