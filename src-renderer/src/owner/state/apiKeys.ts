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
  revealed: { key: ApiKeyInfo; secret: string } | null
  load(): Promise<void>
  create(livemode: boolean): Promise<void>
  revoke(id: string): Promise<void>
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
      const { secret, ...key } = await api['api-keys:create']({ livemode })
      set({ keys: [key, ...get().keys], revealed: { key, secret }, error: null })
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

  dismissSecret() {
    set({ revealed: null })
  },
}))
