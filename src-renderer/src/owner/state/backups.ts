import { create } from 'zustand'
import type { BackupState } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/** Settings → backups and support: the shop's copies, the owner's choices, the diagnostics export. */
const message = errorMessage

interface BackupsStore {
  state: BackupState | null
  error: string | null
  busy: boolean
  /** Desktop: where the diagnostics were saved (a browser downloads them instead). */
  diagnosticsSaved: boolean
  load(): Promise<void>
  backupNow(): Promise<void>
  update(patch: { daily_at?: string; copy_to?: string | null }): Promise<void>
  /** Owner only: the till goes back to `file`; the current data is kept beside the copies (`restoredSaved`). */
  restore(file: string): Promise<void>
  /** Where the data replaced by the last restore was kept. */
  restoredSaved: string | null
  exportDiagnostics(): Promise<void>
}

export const useBackupsStore = create<BackupsStore>()((set) => {
  const run = async (call: () => Promise<BackupState>) => {
    set({ busy: true, error: null })
    try {
      set({ state: await call(), busy: false })
    } catch (error) {
      set({ busy: false, error: message(error) })
      // The failure is also in the state's last_error: show both.
      void api['backups:state']().then((state) => set({ state }), () => undefined)
    }
  }
  return {
    state: null,
    error: null,
    busy: false,
    diagnosticsSaved: false,
    restoredSaved: null,
    restore: async (file) => {
      set({ restoredSaved: null })
      await run(async () => {
        const { saved, state } = await api['backups:restore']({ file })
        set({ restoredSaved: saved })
        return state
      })
    },
    load: () => run(() => api['backups:state']()),
    backupNow: () => run(() => api['backups:create']()),
    update: (patch) => run(() => api['backups:update'](patch)),
    exportDiagnostics: async () => {
      set({ error: null, diagnosticsSaved: false })
      try {
        set({ diagnosticsSaved: (await api['support:export-diagnostics']()).saved })
      } catch (error) {
        set({ error: message(error) })
      }
    },
  }
})
