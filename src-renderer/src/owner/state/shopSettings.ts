import { create } from 'zustand'
import type { Merchant, ReceiveSetup } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useShopStore } from '../../state'
import { errorMessage } from '../../i18n'

/**
 * Settings → shop and receiving: drafts of what the owner types, checked as
 * typed; nothing is sent until it is valid, and the engine checks again.
 */
export type ReceiveMode = ReceiveSetup['mode']

type ReceiveCheck =
  | { state: 'empty' }
  | { state: 'unchanged' }
  | { state: 'checking' }
  | { state: 'ok'; addresses: string[] }
  | { state: 'invalid'; message: string }

export type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'failed'; message: string }

const message = errorMessage

interface ShopSettingsState {
  merchant: Merchant | null
  loadError: string | null
  name: string
  currency: string
  timeZone: string
  shopSave: SaveState
  receiveMode: ReceiveMode
  receiveText: string
  receiveCheck: ReceiveCheck
  receiveSave: SaveState
  load(): Promise<void>
  edit(patch: Partial<Pick<ShopSettingsState, 'name' | 'currency' | 'timeZone'>>): void
  saveShop(): Promise<void>
  setReceiveMode(mode: ReceiveMode): void
  setReceiveText(text: string): void
  saveReceive(): Promise<void>
}

let checkSeq = 0
let checkTimer: ReturnType<typeof setTimeout> | undefined

const receiveTextOf = (m: Merchant) => (m.receive.mode === 'address' ? (m.receive.address ?? '') : (m.receive.xpub ?? ''))

export const useShopSettingsStore = create<ShopSettingsState>()((set, get) => ({
  merchant: null,
  loadError: null,
  name: '',
  currency: 'USD',
  timeZone: 'UTC',
  shopSave: { state: 'idle' },
  receiveMode: 'address',
  receiveText: '',
  receiveCheck: { state: 'unchanged' },
  receiveSave: { state: 'idle' },

  async load() {
    try {
      const merchant = await api['merchant:get']()
      set({
        merchant,
        loadError: null,
        name: merchant.name,
        currency: merchant.currency,
        timeZone: merchant.time_zone,
        receiveMode: merchant.receive.mode,
        receiveText: receiveTextOf(merchant),
        receiveCheck: { state: 'unchanged' },
      })
    } catch (error) {
      set({ loadError: message(error) })
    }
  },

  edit(patch) {
    set({ ...patch, shopSave: { state: 'idle' } })
  },

  async saveShop() {
    const { name, currency, timeZone } = get()
    set({ shopSave: { state: 'saving' } })
    try {
      const merchant = await api['merchant:update']({ name: name.trim(), currency, time_zone: timeZone })
      set({ merchant, shopSave: { state: 'saved' } })
      // The cashier's screen and the History days read the merchant from the shop store.
      await useShopStore.getState().load()
    } catch (error) {
      set({ shopSave: { state: 'failed', message: message(error) } })
    }
  },

  setReceiveMode(receiveMode) {
    clearTimeout(checkTimer)
    checkSeq++
    const merchant = get().merchant
    const same = merchant?.receive.mode === receiveMode
    set({
      receiveMode,
      receiveText: same && merchant ? receiveTextOf(merchant) : '',
      receiveCheck: same ? { state: 'unchanged' } : { state: 'empty' },
      receiveSave: { state: 'idle' },
    })
  },

  setReceiveText(receiveText) {
    set({ receiveText, receiveSave: { state: 'idle' } })
    clearTimeout(checkTimer)
    // Every keystroke outdates the checks still on their way.
    const seq = ++checkSeq
    const text = receiveText.trim()
    const merchant = get().merchant
    if (merchant && merchant.receive.mode === get().receiveMode && text === receiveTextOf(merchant))
      return set({ receiveCheck: { state: 'unchanged' } })
    if (text === '') return set({ receiveCheck: { state: 'empty' } })
    // The preview channel tells an address from an xpub by its "0x"; text of the other kind gets the
    // sentence of the code the engine gives when saving it in this mode (validateReceive), without asking.
    const isAddress = /^0x/i.test(text)
    if (get().receiveMode === 'address' && !isAddress)
      return set({ receiveCheck: { state: 'invalid', message: message({ code: 'address_invalid' }) } })
    if (get().receiveMode === 'xpub' && isAddress)
      return set({ receiveCheck: { state: 'invalid', message: message({ code: 'xpub_invalid' }) } })
    set({ receiveCheck: { state: 'checking' } })
    // A short pause: a paste is one check, typing a few; late answers to older text are dropped.
    checkTimer = setTimeout(async () => {
      try {
        const { addresses } = await api['setup:preview-xpub']({ xpub: text })
        if (seq === checkSeq) set({ receiveCheck: { state: 'ok', addresses } })
      } catch (error) {
        if (seq === checkSeq) set({ receiveCheck: { state: 'invalid', message: message(error) } })
      }
    }, 200)
  },

  async saveReceive() {
    const { receiveMode, receiveText, receiveCheck } = get()
    if (receiveCheck.state !== 'ok') return
    set({ receiveSave: { state: 'saving' } })
    const text = receiveText.trim()
    try {
      const merchant = await api['merchant:update']({
        receive: receiveMode === 'address' ? { mode: 'address', address: text } : { mode: 'xpub', xpub: text },
      })
      set({ merchant, receiveText: receiveTextOf(merchant), receiveCheck: { state: 'unchanged' }, receiveSave: { state: 'saved' } })
      await useShopStore.getState().load()
    } catch (error) {
      set({ receiveSave: { state: 'failed', message: message(error) } })
    }
  },
}))
