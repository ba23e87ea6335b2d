import { create } from 'zustand'
import type { ApiKeyInfo } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/** Settings → API keys. A new key is held here only until the dialog that shows it once is closed. */
const message = errorMessage

interface ApiKeysState {
  keys: ApiKeyInfo[]
  loaded: boolean
  error: string | null
  /**
   * What is shown once: a new key, then its API secret (#12: signed requests), or a key's new API secret alone.
   * `next` is the API secret still to show after the key.
   */
  revealed: { key: ApiKeyInfo; kind: 'key' | 'api_secret'; secret: string; next?: string } | null
  load(): Promise<void>
  create(livemode: boolean): Promise<void>
  revoke(id: string): Promise<void>
  rotateSecret(id: string): Promise<void>
  setSignedOnly(id: string, signedOnly: boolean): Promise<void>
  dismissSecret(): void
}

export const useApiKeysStore = create<ApiKeysState>()((set, get) => ({
  keys: [],
  loaded: false,
  error: null,
  revealed: null,

  async load() {
    try {
      set({ keys: await api['api-keys:list'](), loaded: true, error: null })
    } catch (error) {
      set({ loaded: true, error: message(error) })
    }
  },

  async create(livemode) {
    try {
      const { secret, api_secret, ...key } = await api['api-keys:create']({ livemode })
      set({ keys: [key, ...get().keys], revealed: { key, kind: 'key', secret, next: api_secret }, error: null })
    } catch (error) {
      set({ error: message(error) })
    }
  },

  async revoke(id) {
    try {
      const revoked = await api['api-keys:revoke']({ id })
      set({ keys: get().keys.map((k) => (k.id === id ? revoked : k)), error: null })
    } catch (error) {
      set({ error: message(error) })
    }
  },

  async rotateSecret(id) {
    try {
      const { api_secret, ...key } = await api['api-keys:rotate-secret']({ id })
      set({ keys: get().keys.map((k) => (k.id === id ? key : k)), revealed: { key, kind: 'api_secret', secret: api_secret }, error: null })
    } catch (error) {
      set({ error: message(error) })
    }
  },

  async setSignedOnly(id, signedOnly) {
    try {
      const key = await api['api-keys:set-signed-only']({ id, signed_only: signedOnly })
      set({ keys: get().keys.map((k) => (k.id === id ? key : k)), error: null })
    } catch (error) {
      set({ error: message(error) })
    }
  },

  dismissSecret() {
    const revealed = get().revealed
    // The key's dialog closes onto its API secret's: both are shown once, one at a time.
    set({ revealed: revealed?.next ? { key: revealed.key, kind: 'api_secret', secret: revealed.next } : null })
  },
}))
