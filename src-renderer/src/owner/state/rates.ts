import { create } from 'zustand'
import type { RateInfo } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/** Settings → currencies and rates: reference rates with their age, and the owner's manual ones. */
const message = errorMessage

interface RatesState {
  rates: RateInfo[]
  loaded: boolean
  error: string | null
  busy: boolean
  load(): Promise<void>
  setManual(currency: string, rate: string): Promise<void>
  clearManual(currency: string): Promise<void>
  refresh(): Promise<void>
}

export const useRatesStore = create<RatesState>()((set) => {
  const run = async (call: () => Promise<RateInfo[]>) => {
    set({ busy: true, error: null })
    try {
      set({ rates: await call(), busy: false, loaded: true })
    } catch (error) {
      set({ busy: false, loaded: true, error: message(error) })
    }
  }
  return {
    rates: [],
    loaded: false,
    error: null,
    busy: false,
    load: () => run(() => api['rates:list']()),
    setManual: (currency, rate) => run(() => api['rates:set-manual']({ currency, rate: rate.trim() })),
    clearManual: (currency) => run(() => api['rates:set-manual']({ currency, rate: null })),
    refresh: () => run(() => api['rates:refresh']()),
  }
})
