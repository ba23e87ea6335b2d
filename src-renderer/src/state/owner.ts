import { create } from 'zustand'
import type { OwnerNotice, OwnerStatus } from '../../../src-preload/contract'
import { api, onOwnerRequired, onReconnect } from '../bridge'

/**
 * The owner role as this screen knows it (#13). The engine decides (each
 * channel's role is checked there); this store only mirrors it so the
 * screens can ask for the PIN before an owner screen opens, show Lock, and
 * go back to asking when the engine says the role lapsed.
 */
interface OwnerState {
  status: OwnerStatus | null
  /** A change of the receiving address in the last 24 hours, for the cashier. */
  notices: OwnerNotice[]
  /** The recovery code just issued: shown once, then forgotten. */
  recoveryCode: string | null
  load(): Promise<void>
  loadNotices(): Promise<void>
  unlock(pin: string): Promise<void>
  lock(): Promise<void>
  /** First PIN (no current) or a change; a first PIN issues the recovery code. */
  setPin(pin: string, current?: string): Promise<void>
  resetPin(recoveryCode: string, pin: string): Promise<void>
  dismissRecoveryCode(): void
  /** An owner action asked for from a cashier screen: the PIN dialog opens (OwnerPrompt); true once unlocked. */
  prompt: { resolve: (unlocked: boolean) => void } | null
  askOwner(): Promise<boolean>
  closePrompt(unlocked: boolean): void
}

let expiry: ReturnType<typeof setTimeout> | null = null

export const useOwnerStore = create<OwnerState>()((set, get) => {
  const apply = (status: OwnerStatus) => {
    set({ status })
    // When the role would lapse, ask the engine again: owner actions meanwhile may have extended it.
    if (expiry) clearTimeout(expiry)
    expiry = null
    if (status.expires_at !== null) {
      const delay = Math.max(1000, status.expires_at * 1000 - Date.now() + 500)
      expiry = setTimeout(() => void get().load(), Math.min(delay, 2 ** 31 - 1))
    }
  }
  return {
    status: null,
    notices: [],
    recoveryCode: null,

    async load() {
      try {
        apply(await api['owner:status']())
      } catch {
        // The line is down: the role stays as last known; the engine still checks every call.
      }
    },

    async loadNotices() {
      try {
        set({ notices: await api['owner:notices']() })
      } catch {
        // Shown again at the next look.
      }
    },

    async unlock(pin) {
      apply(await api['owner:unlock']({ pin }))
    },

    async lock() {
      apply(await api['owner:lock']())
    },

    async setPin(pin, current) {
      const result = await api['owner:set-pin'](current === undefined ? { pin } : { current, pin })
      apply(result.status)
      if (result.recovery_code) set({ recoveryCode: result.recovery_code })
    },

    async resetPin(recoveryCode, pin) {
      const result = await api['owner:reset-pin']({ recovery_code: recoveryCode, pin })
      apply(result.status)
      if (result.recovery_code) set({ recoveryCode: result.recovery_code })
    },

    dismissRecoveryCode() {
      set({ recoveryCode: null })
    },

    prompt: null,
    askOwner() {
      if (get().status?.role === 'owner') return Promise.resolve(true)
      get().prompt?.resolve(false)
      return new Promise<boolean>((resolve) => set({ prompt: { resolve } }))
    },
    closePrompt(unlocked) {
      get().prompt?.resolve(unlocked)
      set({ prompt: null })
    },
  }
})

// The engine refused an owner call: the role lapsed (5 minutes idle) or was locked from elsewhere.
onOwnerRequired(() => {
  const status = useOwnerStore.getState().status
  if (status?.role === 'owner') useOwnerStore.setState({ status: { ...status, role: 'cashier', expires_at: null } })
  void useOwnerStore.getState().load()
})
onReconnect(() => {
  void useOwnerStore.getState().load()
  void useOwnerStore.getState().loadNotices()
})
