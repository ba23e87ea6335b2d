import { create } from 'zustand'
import type { Product, SaleMode } from '../../../src-preload/contract'
import { api } from '../bridge'

/**
 * The sale screen's products mode (#17): the active products, their pictures
 * (fetched one at a time as tiles come into view, then kept), and which mode
 * this till's sale screen is in (kept by the engine per till).
 */
interface CatalogState {
  mode: SaleMode
  modeLoaded: boolean
  products: Product[]
  loaded: boolean
  images: Record<string, string | null>
  loadMode(): Promise<void>
  setMode(mode: SaleMode): Promise<void>
  load(): Promise<void>
  /** The sale screen's start: the till's mode and the products asked at once, not one after the other. */
  loadSaleScreen(): Promise<void>
  image(id: string): void
}

const asking = new Set<string>()

export const useCatalogStore = create<CatalogState>()((set, get) => ({
  mode: 'keypad',
  modeLoaded: false,
  products: [],
  loaded: false,
  images: {},
  async loadMode() {
    const { mode } = await api['sale-mode:get']()
    set({ mode, modeLoaded: true })
  },
  async setMode(mode) {
    // Switch at once; the till remembers it when the engine answers. The grid shows the products as they are now.
    set({ mode })
    await Promise.all([api['sale-mode:set']({ mode }), mode === 'products' ? get().load() : undefined])
  },
  async load() {
    set({ products: await api['products:list']({}), loaded: true })
  },
  async loadSaleScreen() {
    // A products-mode till paints its grid once both are in, instead of asking for the products only when the
    // mode has come back. Each is kept as it arrives, so one failing leaves the other.
    await Promise.all([get().loadMode(), get().load()])
  },
  image(id) {
    if (id in get().images || asking.has(id)) return
    asking.add(id)
    api['products:image']({ id })
      .then(({ image }) => set({ images: { ...get().images, [id]: image } }))
      .catch(() => set({ images: { ...get().images, [id]: null } }))
      .finally(() => asking.delete(id))
  },
}))

/** The product's name in the screen's language: the Chinese name when there is one. */
export function productName(p: { name: string; name_zh: string | null }, language: 'en' | 'zh-CN'): string {
  return language === 'zh-CN' && p.name_zh ? p.name_zh : p.name
}

/** Products in a category tab (null: all) whose either name holds the search text (any case). */
export function filterProducts(products: readonly Product[], category: string | null, search: string): Product[] {
  const q = search.trim().toLocaleLowerCase()
  return products.filter(
    (p) =>
      (category === null || (p.category ?? '') === category) &&
      (q === '' || p.name.toLocaleLowerCase().includes(q) || (p.name_zh ?? '').includes(q) || (p.category ?? '').toLocaleLowerCase().includes(q)),
  )
}

/** The tabs: each category once, in the products' order; '' stands for products without one ("Other"). */
export function categoriesOf(products: readonly Product[]): string[] {
  const seen = new Set<string>()
  for (const p of products) seen.add(p.category ?? '')
  return [...seen]
}
