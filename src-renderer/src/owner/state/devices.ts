import { create } from 'zustand'
import type { DeviceInfo, DeviceRoleHint, PairingCode, ThisDevice, Till } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

const message = errorMessage

/** Owner → Devices (#13): the devices and tills, and the one pairing code on screen. */
interface DevicesState {
  devices: DeviceInfo[]
  tills: Till[]
  me: ThisDevice | null
  pairing: PairingCode | null
  error: string | null
  load(): Promise<void>
  pair(till: string, roleHint: DeviceRoleHint): Promise<void>
  closePairing(): void
  update(id: string, change: { name?: string; till?: string }): Promise<void>
  revoke(id: string): Promise<void>
  addTill(name: string): Promise<void>
  renameTill(id: string, name: string): Promise<void>
}

export const useDevicesStore = create<DevicesState>()((set, get) => {
  const attempt = async (work: () => Promise<void>) => {
    try {
      await work()
      set({ error: null })
    } catch (error) {
      set({ error: message(error) })
    }
  }
  return {
    devices: [],
    tills: [],
    me: null,
    pairing: null,
    error: null,
    load: () =>
      attempt(async () => {
        const [devices, tills, me] = await Promise.all([api['devices:list'](), api['tills:list'](), api['devices:me']()])
        set({ devices, tills, me })
      }),
    pair: (till, roleHint) => attempt(async () => set({ pairing: await api['devices:pair']({ till, role_hint: roleHint }) })),
    closePairing: () => {
      set({ pairing: null })
      void get().load()
    },
    update: (id, change) =>
      attempt(async () => {
        const device = await api['devices:update']({ id, ...change })
        set({ devices: get().devices.map((d) => (d.id === id ? device : d)) })
      }),
    revoke: (id) =>
      attempt(async () => {
        const device = await api['devices:revoke']({ id })
        set({ devices: get().devices.map((d) => (d.id === id ? device : d)) })
      }),
    addTill: (name) =>
      attempt(async () => {
        const till = await api['tills:create']({ name })
        set({ tills: [...get().tills, till] })
      }),
    renameTill: (id, name) =>
      attempt(async () => {
        const till = await api['tills:update']({ id, name })
        set({ tills: get().tills.map((t) => (t.id === id ? till : t)) })
        await get().load()
      }),
  }
})
