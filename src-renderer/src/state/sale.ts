import { create } from 'zustand'
import type { CreateSaleInput, PaymentSession, TipRequest } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'
import type { KeypadKey } from './keypad'
import { useAppStore } from './app'
import { applyKey, isAboveThreshold, isChargeable, toAmount } from './keypad'
import { hasPayment, isOpen } from './sessionView'
import { errorMessage } from '../i18n'

/**
 * The cashier's sale: what is being typed, and then the one payment session
 * on screen. The session object is only ever replaced by what the engine
 * says (create, push, refetch), never edited here, so the screen cannot show
 * a status the engine does not hold.
 */
// 'tip': tips are on (#17) and the customer display is asking for the tip; the sale is made by the answer.
type SalePhase = 'entry' | 'creating' | 'tip' | 'session'
type SaleDialog = 'confirm-large' | 'confirm-cancel' | 'confirm-cancel-paid' | 'cannot-cancel' | null

const CHOICE_KEY = 'stablepay.payChoice'
// Per tab: a reload in the middle of a sale comes back to it; another tab does not steal it.
const CURRENT_KEY = 'stablepay.currentSale'

function readStorage(storage: 'local' | 'session', key: string): string | null {
  try {
    return (storage === 'local' ? localStorage : sessionStorage).getItem(key)
  } catch {
    return null
  }
}
function writeStorage(storage: 'local' | 'session', key: string, value: string | null): void {
  try {
    const s = storage === 'local' ? localStorage : sessionStorage
    if (value === null) s.removeItem(key)
    else s.setItem(key, value)
  } catch {
    // Not remembered; harmless.
  }
}

interface SaleState {
  entry: string
  orderRef: string
  choice: string | null
  phase: SalePhase
  session: PaymentSession | null
  /** The engine's error as it came (`code` picks a translation, `message` is the exact English). */
  error: SaleError | null
  dialog: SaleDialog
  keepOpen: boolean
  refreshing: boolean
  simulating: boolean
  simulatedTx: string | null

  /** Products mode (#17): the cart's lines, tax and discount, sent with the amount; null for a keypad sale. */
  cart: CartFields | null
  press(key: KeypadKey, decimals: number): void
  /** Products mode: the cart becomes the sale to charge (its total is the amount). */
  setCart(amount: string, cart: CartFields | null): void
  setOrderRef(orderRef: string): void
  setChoice(choice: string): void
  /** `confirmed`: the cashier already said yes to an amount above the owner's threshold. */
  charge(target: { chainId: number; token: string } | null, confirmed?: boolean): Promise<void>
  /**
   * Makes the sale: directly, or (tips on, #17) through the customer display's tip first. The keypad's Charge
   * comes here, and so does a cart's, with its line items.
   */
  startSale(input: CreateSaleInput): Promise<void>
  /** The tip request waiting for the customer (phase 'tip'). */
  tip: TipRequest | null
  /** A `tip:updated` push (or the engine's answer to skip/cancel). */
  receiveTip(request: TipRequest): Promise<void>
  skipTip(): Promise<void>
  cancelTip(): Promise<void>
  /** The network and token of a charge waiting for the large-amount confirmation. */
  pendingTarget: { chainId: number; token: string } | null
  escape(): Promise<void>
  requestCancel(): Promise<void>
  confirmCancel(): Promise<void>
  closeDialog(): void
  newSale(): void
  /** The sale keeps waiting in the open-sales tray; the till starts the next one. */
  park(): void
  /** Brings an open sale (parked, or from another tab) back to the screen. */
  bringBack(id: string): Promise<void>
  /** An expired or cancelled sale: a new one for the same amount, on the same network and token. */
  chargeAgain(): Promise<void>
  keepThisOpen(): void
  /** A `session:updated` push. */
  receive(session: PaymentSession): void
  /** After a dropped connection: ask the engine again, never trust what is on screen. */
  refetch(): Promise<void>
  resume(): Promise<void>
  simulate(kind: 'exact' | 'under' | 'over'): Promise<void>
}

/** What a cart adds to a sale: everything sessions:create takes besides the amount and where it is paid. */
export type CartFields = Omit<CreateSaleInput, 'amount' | 'currency' | 'order_id' | 'chain_id' | 'token' | 'expires_in' | 'require_online'>

interface SaleError {
  code: string
  message: string
}

const errorOf = (error: unknown): SaleError =>
  error instanceof BridgeError
    ? { code: error.code, message: error.message }
    : { code: 'unexpected', message: errorMessage(error) }

// Pushes that arrive while `sessions:create` is still answering (a very fast payment) are kept here.
const earlyPushes = new Map<string, PaymentSession>()
// Likewise a tip answered before `tips:request` returned (#17).
const earlyTips = new Map<string, TipRequest>()

export const useSaleStore = create<SaleState>()((set, get) => ({
  entry: '',
  orderRef: '',
  choice: readStorage('local', CHOICE_KEY),
  phase: 'entry',
  session: null,
  error: null,
  dialog: null,
  keepOpen: false,
  refreshing: false,
  simulating: false,
  simulatedTx: null,
  pendingTarget: null,
  tip: null,
  cart: null,

  press(key, decimals) {
    if (get().phase !== 'entry') return
    set({ entry: applyKey(get().entry, key, decimals), error: null })
  },

  setCart(amount, cart) {
    if (get().phase !== 'entry') return
    set({ entry: amount, cart, error: null })
  },

  setOrderRef(orderRef) {
    set({ orderRef: orderRef.slice(0, 128), error: null })
  },

  setChoice(choice) {
    writeStorage('local', CHOICE_KEY, choice)
    set({ choice, error: null })
  },

  async charge(target, confirmed = false) {
    const { entry, orderRef, phase, cart } = get()
    if (phase !== 'entry' || !isChargeable(entry)) return
    // A slip of the finger (an extra 0) is caught before the customer sees a QR for it.
    const threshold = useAppStore.getState().settings?.confirm_amount_above ?? '1000'
    if (!confirmed && isAboveThreshold(entry, threshold)) return set({ dialog: 'confirm-large', pendingTarget: target })
    set({ dialog: null, pendingTarget: null })
    await get().startSale({
      amount: toAmount(entry),
      // Products mode: the cart's lines, tax and discount (#17); with tips on, the customer's tip is added to them.
      ...(cart ?? {}),
      ...(orderRef.trim() ? { order_id: orderRef.trim() } : {}),
      ...(target ? { chain_id: target.chainId, token: target.token } : {}),
      // The engine refuses a sale whose only networks are offline, in words (#15).
      require_online: true,
    })
  },

  async startSale(input) {
    if (get().phase !== 'entry') return
    set({ phase: 'creating', error: null })
    earlyPushes.clear()
    try {
      if (useAppStore.getState().settings?.tips_enabled) {
        const tip = await api['tips:request'](input)
        set({ phase: 'tip', tip })
        // The display may have answered before this call returned (its push came first).
        const early = earlyTips.get(tip.id)
        earlyTips.clear()
        if (early) await get().receiveTip(early)
        return
      }
      const created = await api['sessions:create'](input)
      const session = earlyPushes.get(created.id) ?? created
      earlyPushes.clear()
      writeStorage('session', CURRENT_KEY, session.id)
      set({ phase: 'session', session, keepOpen: false, simulatedTx: null })
    } catch (error) {
      set({ phase: 'entry', tip: null, error: errorOf(error) })
      // The owner turned tips off since this screen loaded its settings: charge without.
      if (error instanceof BridgeError && error.code === 'tips_off') {
        await useAppStore.getState().refreshSettings()
        if (!useAppStore.getState().settings?.tips_enabled) await get().startSale(input)
      }
    }
  },

  async receiveTip(request) {
    const current = get().tip
    if (get().phase === 'creating' && !current) earlyTips.set(request.id, request)
    if (!current || current.id !== request.id || get().phase !== 'tip') return
    set({ tip: request })
    if (request.status === 'pending') return
    if (request.status === 'cancelled') return set({ phase: 'entry', tip: null })
    if (request.status === 'failed' || !request.session_id)
      return set({ phase: 'entry', tip: null, error: request.error ?? { code: 'unexpected', message: 'the sale could not be made' } })
    try {
      const session = await api['sessions:get']({ id: request.session_id })
      if (get().tip?.id !== request.id) return
      writeStorage('session', CURRENT_KEY, session.id)
      set({ phase: 'session', session, tip: null, keepOpen: false, simulatedTx: null })
    } catch (error) {
      set({ error: errorOf(error) })
    }
  },

  async skipTip() {
    const tip = get().tip
    if (!tip || get().phase !== 'tip') return
    try {
      await get().receiveTip(await api['tips:skip']({ id: tip.id }))
    } catch (error) {
      // Answered meanwhile: its push brings the sale.
      set({ error: errorOf(error) })
    }
  },

  async cancelTip() {
    const tip = get().tip
    if (!tip || get().phase !== 'tip') return
    try {
      await get().receiveTip(await api['tips:cancel']({ id: tip.id }))
    } catch (error) {
      set({ error: errorOf(error) })
    }
  },

  async escape() {
    const { phase, dialog, session } = get()
    if (dialog) return set({ dialog: null })
    if (phase === 'entry') return set({ entry: '', error: null })
    if (phase === 'tip') return get().cancelTip()
    if (phase !== 'session' || !session) return
    if (isOpen(session)) return get().requestCancel()
    get().newSale()
  },

  async requestCancel() {
    const session = get().session
    if (!session) return
    // Only PENDING can be cancelled (the engine refuses otherwise); say why instead of failing.
    if (session.status === 'PROCESSING') return set({ dialog: 'cannot-cancel' })
    if (session.status !== 'PENDING') return
    // A QR is on screen: one key must not end the sale the customer may be paying right now.
    set({ dialog: hasPayment(session) ? 'confirm-cancel-paid' : 'confirm-cancel' })
  },

  async confirmCancel() {
    const session = get().session
    if (!session) return
    set({ dialog: null })
    try {
      const cancelled = await api['sessions:cancel']({ id: session.id })
      if (get().session?.id === cancelled.id) set({ session: cancelled, error: null })
    } catch (error) {
      // The status moved on meanwhile (e.g. a payment arrived): show the engine's word and its truth.
      set({ error: errorOf(error) })
      await get().refetch()
      if (error instanceof BridgeError && error.code === 'session_not_cancellable' && get().session?.status === 'PROCESSING')
        set({ dialog: 'cannot-cancel', error: null })
    }
  },

  closeDialog() {
    set({ dialog: null })
  },

  newSale() {
    writeStorage('session', CURRENT_KEY, null)
    set({ phase: 'entry', session: null, entry: '', cart: null, orderRef: '', error: null, dialog: null, keepOpen: false, simulatedTx: null })
  },

  park() {
    if (get().phase !== 'session') return
    get().newSale()
  },

  async bringBack(id) {
    if (get().phase === 'creating' || get().session?.id === id) return
    try {
      const session = await api['sessions:get']({ id })
      writeStorage('session', CURRENT_KEY, session.id)
      set({ phase: 'session', session, error: null, dialog: null, keepOpen: false, simulatedTx: null })
    } catch (error) {
      set({ error: errorOf(error) })
    }
  },

  async chargeAgain() {
    const session = get().session
    if (!session || isOpen(session)) return
    const option = session.payment_options[0]
    get().newSale()
    // A cart sale is charged again with its lines (#17), as it was.
    const cart: CartFields | null =
      session.line_items.length > 0
        ? {
            line_items: session.line_items.map((l) => ({ name: l.name, unit_amount: l.unit_amount, quantity: l.quantity, ...(l.product_id ? { product_id: l.product_id } : {}) })),
            tax_amount: session.tax_amount,
            discount_amount: session.discount_amount,
            tip_amount: session.tip_amount,
            shipping_amount: session.shipping_amount,
          }
        : null
    set({ entry: session.amount, cart })
    await get().charge(option ? { chainId: option.chain_id, token: option.token } : null)
  },

  keepThisOpen() {
    set({ keepOpen: true })
  },

  receive(session) {
    const current = get().session
    if (get().phase === 'creating') earlyPushes.set(session.id, session)
    if (current && current.id === session.id) set({ session })
  },

  async refetch() {
    const current = get().session
    if (!current) return
    set({ refreshing: true })
    try {
      const fresh = await api['sessions:get']({ id: current.id })
      if (get().session?.id === fresh.id) set({ session: fresh, error: null })
      set({ refreshing: false })
    } catch (error) {
      // Still unreachable: keep saying so rather than showing the old status as if current. The health banner
      // says it too; "checking" stays until an answer comes, and the next reconnect asks again.
      set({ error: errorOf(error) })
    }
  },

  async resume() {
    const id = readStorage('session', CURRENT_KEY)
    if (get().session || get().phase !== 'entry') return
    if (!id) {
      // Reloaded while the customer display asks for the tip (#17): the question is still this till's, and its
      // answer makes the sale, so the till goes back to waiting for it.
      const tip = await api['tips:current']().catch(() => null)
      if (tip?.status === 'pending' && !get().session && get().phase === 'entry') set({ phase: 'tip', tip })
      return
    }
    try {
      const session = await api['sessions:get']({ id })
      if (!get().session && get().phase === 'entry') set({ phase: 'session', session })
    } catch {
      writeStorage('session', CURRENT_KEY, null)
    }
  },

  async simulate(kind) {
    const session = get().session
    if (!session || get().simulating) return
    set({ simulating: true, error: null })
    try {
      const { tx_hash } = await api['sessions:simulate-payment']({ id: session.id, kind })
      set({ simulatedTx: tx_hash })
    } catch (error) {
      set({ error: errorOf(error) })
    } finally {
      set({ simulating: false })
    }
  },
}))
