import { create } from 'zustand'
import type { AppInfo, AppSettings } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'
import type { Language } from '../i18n/define'
import { describeError } from '../i18n/errors'

/**
 * The app as a whole: is the engine reachable, is the shop set up, which
 * language and mode. Language is also kept in localStorage so a Chinese shop
 * never sees an English flash while the engine answers.
 */
const LANGUAGE_KEY = 'stablepay.language'

function rememberedLanguage(): Language {
  try {
    const stored = localStorage.getItem(LANGUAGE_KEY)
    if (stored === 'en' || stored === 'zh-CN') return stored
  } catch {
    // Storage can be unavailable (privacy mode); English is the fallback.
  }
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

function applyLanguage(language: Language): void {
  document.documentElement.lang = language
  try {
    localStorage.setItem(LANGUAGE_KEY, language)
  } catch {
    // Not remembered locally; the engine setting still is.
  }
}

type LoadState = 'loading' | 'ready' | 'unreachable'

/** The bridge's answers for a device without a session: none, revoked or idle, or a spent pairing code or old link. */
const SIGNED_OUT = new Set(['session_invalid', 'pairing_code_invalid', 'token_invalid'])

interface AppState {
  load: LoadState
  loadError: string | null
  /** Serve mode: this device has no valid session (never paired, revoked, or idle 12 hours). */
  signedOut: boolean
  info: AppInfo | null
  settings: AppSettings | null
  language: Language
  start(): Promise<void>
  refreshInfo(): Promise<void>
  setLanguage(language: Language): Promise<void>
  updateSettings(patch: Partial<AppSettings>): Promise<void>
  /** Settings can be changed in another window (the owner's); re-read them when the screen comes back. */
  refreshSettings(): Promise<void>
  /** The server ended this device's session while the screens were open (the event stream said 401). */
  signedOutNow(): void
}

export const useAppStore = create<AppState>()((set, get) => ({
  load: 'loading',
  loadError: null,
  signedOut: false,
  info: null,
  settings: null,
  language: rememberedLanguage(),

  async start() {
    set({ load: 'loading', loadError: null })
    try {
      const [info, settings] = await Promise.all([api['app:info'](), api['settings:get']()])
      applyLanguage(settings.language)
      set({ info, settings, language: settings.language, load: 'ready', signedOut: false })
    } catch (error) {
      set({
        load: 'unreachable',
        loadError: describeError(get().language, error),
        signedOut: error instanceof BridgeError && SIGNED_OUT.has(error.code),
      })
    }
  },

  async refreshInfo() {
    const info = await api['app:info']()
    set({ info })
  },

  async setLanguage(language) {
    // Switch at once; the engine remembers it for the next start and other windows.
    applyLanguage(language)
    set({ language })
    try {
      // The cashier's own channel: settings:update (test or real money) is the owner's (#13).
      const settings = await api['settings:language']({ language })
      set({ settings })
    } catch (error) {
      if (!(error instanceof BridgeError)) throw error
    }
  },

  async updateSettings(patch) {
    const settings = await api['settings:update'](patch)
    if (settings.language !== get().language) applyLanguage(settings.language)
    set({ settings, language: settings.language })
  },

  async refreshSettings() {
    try {
      const settings = await api['settings:get']()
      if (settings.language !== get().language) applyLanguage(settings.language)
      set({ settings, language: settings.language })
    } catch {
      // Keep what we have; the next successful call refreshes it.
    }
  },

  signedOutNow() {
    set({ load: 'unreachable', loadError: null, signedOut: true })
  },
}))

applyLanguage(useAppStore.getState().language)
