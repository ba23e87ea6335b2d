import { create } from 'zustand'
import type { ChainConfig, Merchant } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'
import { useOwnerStore } from './owner'
import { errorMessage } from '../i18n'

/**
 * The first-run wizard's draft. Nothing reaches the engine until the last
 * step, where `setup:complete` validates everything again and writes it in
 * one transaction; the checks on the way only preview (same engine messages).
 */
type ReceiveMode = 'address' | 'xpub'

type ReceiveCheck =
  | { state: 'empty' }
  | { state: 'checking' }
  | { state: 'ok'; addresses: string[]; neverUsed?: boolean }
  // `code` picks the sentence the owner reads (i18n/errors.ts); `message` is the engine's detail.
  | { state: 'invalid'; code: string; message: string }

interface SetupState {
  step: number
  name: string
  currency: string
  receiveMode: ReceiveMode
  receiveText: string
  receiveCheck: ReceiveCheck
  chains: ChainConfig[]
  chainsLoaded: boolean
  accept: string[]
  livemode: boolean
  /** The owner PIN (#13), typed twice. */
  pin: string
  pinConfirm: string
  setPin(pin: string): void
  setPinConfirm(pin: string): void
  saving: boolean
  /** The engine's error as it came: `code` picks the sentence shown (i18n/errors.ts). */
  error: { code: string; message: string } | null
  setStep(step: number): void
  setName(name: string): void
  setCurrency(currency: string): void
  setReceiveMode(mode: ReceiveMode): void
  setReceiveText(text: string): void
  toggleAccept(pair: string): void
  setLivemode(livemode: boolean): void
  loadChains(): Promise<void>
  finish(): Promise<Merchant | null>
}

let checkSeq = 0
let checkTimer: ReturnType<typeof setTimeout> | undefined

function guessCurrency(): string {
  // A reasonable default from the machine's locale; the owner confirms it on step 1.
  const region = (navigator.language.split('-')[1] ?? '').toUpperCase()
  const byRegion: Record<string, string> = {
    US: 'USD',
    GB: 'GBP',
    JP: 'JPY',
    CN: 'CNY',
    HK: 'HKD',
    SG: 'SGD',
    AU: 'AUD',
    CA: 'CAD',
    KR: 'KRW',
  }
  return byRegion[region] ?? 'USD'
}

export const useSetupStore = create<SetupState>()((set, get) => ({
  step: 0,
  pin: '',
  pinConfirm: '',
  setPin: (pin) => set({ pin }),
  setPinConfirm: (pinConfirm) => set({ pinConfirm }),
  name: '',
  currency: guessCurrency(),
  receiveMode: 'address',
  receiveText: '',
  receiveCheck: { state: 'empty' },
  chains: [],
  chainsLoaded: false,
  accept: [],
  livemode: false,
  saving: false,
  error: null,

  setStep(step) {
    set({ step, error: null })
  },
  setName(name) {
    set({ name, error: null })
  },
  setCurrency(currency) {
    set({ currency, error: null })
  },
  setReceiveMode(receiveMode) {
    set({ receiveMode, receiveText: '', receiveCheck: { state: 'empty' }, error: null })
  },

  setReceiveText(receiveText) {
    set({ receiveText, error: null })
    clearTimeout(checkTimer)
    const text = receiveText.trim()
    if (text === '') return set({ receiveCheck: { state: 'empty' } })
    // In address mode anything but 0x… is a bad address, never "not a valid xpub".
    if (get().receiveMode === 'address' && !/^0x/i.test(text))
      return set({ receiveCheck: { state: 'invalid', code: 'address_invalid', message: 'not a valid address: must start with 0x' } })
    set({ receiveCheck: { state: 'checking' } })
    const seq = ++checkSeq
    // A short pause so pasting is one check, typing by hand a few; answers out of order are dropped.
    checkTimer = setTimeout(async () => {
      try {
        // setup:preview-xpub also checks a 0x address (see src-main/engine/handlers/shop.ts).
        const { addresses, never_used } = await api['setup:preview-xpub']({ xpub: text })
        if (seq === checkSeq) set({ receiveCheck: { state: 'ok', addresses, ...(never_used ? { neverUsed: true } : {}) } })
      } catch (error) {
        if (seq === checkSeq)
          set({
            receiveCheck: {
              state: 'invalid',
              code: error instanceof BridgeError ? error.code : 'unexpected',
              message: errorMessage(error),
            },
          })
      }
    }, 200)
  },

  toggleAccept(pair) {
    const accept = get().accept
    set({ accept: accept.includes(pair) ? accept.filter((p) => p !== pair) : [...accept, pair], error: null })
  },

  setLivemode(livemode) {
    set({ livemode, error: null })
  },

  async loadChains() {
    if (get().chainsLoaded) return
    const chains = await api['chains:list']()
    // Test networks come ticked (their tokens are worthless); real money is the owner's explicit choice.
    const accept = chains.filter((c) => c.testnet).flatMap((c) => c.tokens.map((tok) => `${c.chain_id}:${tok.symbol}`))
    set({ chains, chainsLoaded: true, accept: get().accept.length > 0 ? get().accept : accept })
  },

  async finish() {
    const s = get()
    set({ saving: true, error: null })
    try {
      const receive =
        s.receiveMode === 'address'
          ? { mode: 'address' as const, address: s.receiveText.trim() }
          : { mode: 'xpub' as const, xpub: s.receiveText.trim() }
      // The owner PIN first (#13): it makes this device the owner, which setup:complete needs once a PIN exists.
      // The recovery code it issues is shown once, over the first sale screen (RecoveryCodeDialog).
      const owner = useOwnerStore.getState()
      await owner.load()
      const status = useOwnerStore.getState().status
      if (!status?.pin_set) await owner.setPin(s.pin)
      else if (status.role !== 'owner') await owner.unlock(s.pin)
      set({ pin: '', pinConfirm: '' })
      const merchant = await api['setup:complete']({
        name: s.name.trim(),
        currency: s.currency,
        receive,
        accept: s.accept,
        livemode: s.livemode,
      })
      set({ saving: false })
      return merchant
    } catch (error) {
      set({
        saving: false,
        error:
          error instanceof BridgeError
            ? { code: error.code, message: error.message }
            : { code: 'unexpected', message: errorMessage(error) },
      })
      return null
    }
  },
}))
