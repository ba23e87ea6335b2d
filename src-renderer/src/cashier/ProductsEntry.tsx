import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { CurrencyCode, Product, TaxMode } from '../../../src-preload/contract'
import { cartSaleFields } from '../../../src-preload/shared/cart'
import { formatMinor, isCurrency } from '../../../src-preload/shared/money'
import { Button } from '../components'
import { formatFiat, useErrorText, useLanguage, useT } from '../i18n'
import type { PayChoice } from '../state'
import { useSaleStore } from '../state'
import { cartTotals, discountOf, minorOf, useCartStore } from '../state/cart'
import { SaleTerms } from './SaleTerms'
import { categoriesOf, filterProducts, productName, useCatalogStore } from '../state/catalog'

/** Tiles are this tall (px) and at least this wide: the grid lays out whole rows, only the visible ones exist. */
const TILE_HEIGHT = 112
const TILE_MIN_WIDTH = 150
const GAP = 12

/**
 * The products mode (#17): the cart on the left (lines, quantities, custom
 * amount, discount, tax, total, who pays with what, Charge), the products on
 * the right (category tabs, search, a grid of tiles). With 2,000 products only
 * the rows on screen are rendered (@tanstack/react-virtual).
 */
export function ProductsEntry({
  currency,
  taxMode,
  choices,
  selected,
  onCharge,
  ready,
  modeName,
}: {
  currency: string
  taxMode: TaxMode
  choices: PayChoice[]
  selected: PayChoice | null
  onCharge: () => void
  ready: boolean
  modeName: string
}) {
  const t = useT()
  const language = useLanguage()
  const errorText = useErrorText()
  const products = useCatalogStore((s) => s.products)
  const loaded = useCatalogStore((s) => s.loaded)
  const items = useCartStore((s) => s.items)
  const discountKind = useCartStore((s) => s.discountKind)
  const discountText = useCartStore((s) => s.discountText)
  const phase = useSaleStore((s) => s.phase)
  const error = useSaleStore((s) => s.error)
  const [category, setCategory] = useState<string | null>(null)
  const [search, setSearch] = useState('')
  const [custom, setCustom] = useState('')

  const code = (isCurrency(currency) ? currency : 'USD') as CurrencyCode
  const inCurrency = useMemo(() => products.filter((p) => p.currency === currency), [products, currency])
  const categories = useMemo(() => categoriesOf(inCurrency), [inCurrency])
  const shown = useMemo(() => filterProducts(inCurrency, category, search), [inCurrency, category, search])
  const discount = discountOf(discountKind, discountText, currency)
  const totals = useMemo(() => cartTotals(items, discount === 'invalid' ? null : discount, taxMode), [items, discount, taxMode])
  const money = (minor: bigint) => formatFiat(formatMinor(minor, code), currency, language)
  const creating = phase === 'creating'
  const canCharge = ready && items.length > 0 && discount !== 'invalid' && totals.totalMinor > 0n && selected !== null && !creating

  // The cart is the sale: its total and lines go to the sale store, which charges them like a typed amount.
  useEffect(() => {
    if (items.length === 0) useSaleStore.getState().setCart('', null)
    else {
      const { amount, ...cart } = cartSaleFields(totals, code)
      useSaleStore.getState().setCart(amount, cart)
    }
  }, [items, totals, code])

  const customMinor = minorOf(custom, currency)
  const addCustom = () => {
    if (customMinor === null || customMinor <= 0n) return
    useCartStore.getState().addCustom(customMinor)
    setCustom('')
  }

  return (
    <div className="cashier-entry products-entry">
      <section className="sale-zone cart-zone" aria-label={t('cart.title')} data-testid="cart">
        <div className="amount-box cart-box">
          <h2 className="cart-title">
            {t('cart.title')} <span className="hint">{t('cart.lines', { n: items.reduce((n, i) => n + i.quantity, 0) })}</span>
          </h2>
          {items.length === 0 ? <p className="hint">{t('cart.empty')}</p> : null}
          <ul className="cart-lines">
            {items.map((item) => {
              const name = language === 'zh-CN' && item.nameZh ? item.nameZh : item.name
              return (
                <li key={item.key} className="cart-line" data-testid="cart-line">
                  <span className="cart-line-name">{name}</span>
                  <span className="cart-qty">
                    <button type="button" className="qty-btn" aria-label={t('cart.less', { name })} onClick={() => useCartStore.getState().setQuantity(item.key, item.quantity - 1)} disabled={creating}>
                      −
                    </button>
                    <input
                      className="input qty-input"
                      inputMode="numeric"
                      aria-label={t('cart.quantity', { name })}
                      value={item.quantity}
                      onChange={(e) => {
                        const q = Number(e.target.value.replace(/\D/g, ''))
                        if (q >= 1) useCartStore.getState().setQuantity(item.key, q)
                      }}
                      disabled={creating}
                      data-testid="cart-qty"
                    />
                    <button type="button" className="qty-btn" aria-label={t('cart.more', { name })} onClick={() => useCartStore.getState().setQuantity(item.key, item.quantity + 1)} disabled={creating}>
                      +
                    </button>
                  </span>
                  <span className="cart-line-amount">{money(item.unitMinor * BigInt(item.quantity))}</span>
                  <button type="button" className="qty-btn" aria-label={t('cart.remove', { name })} onClick={() => useCartStore.getState().remove(item.key)} disabled={creating}>
                    ×
                  </button>
                </li>
              )
            })}
          </ul>

          <div className="cart-row">
            <input
              className="input"
              inputMode="decimal"
              placeholder={t('cart.custom')}
              aria-label={t('cart.custom')}
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  e.stopPropagation()
                  addCustom()
                }
              }}
              disabled={creating}
              data-testid="cart-custom"
            />
            <Button onClick={addCustom} disabled={creating || customMinor === null || customMinor <= 0n} data-testid="cart-custom-add">
              {t('cart.customAdd')}
            </Button>
          </div>

          <div className="cart-row">
            <span className="field-label">{t('cart.discount')}</span>
            <div className="chips" role="radiogroup" aria-label={t('cart.discount')}>
              {(['amount', 'percent'] as const).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  role="radio"
                  aria-checked={discountKind === kind}
                  className="chip chip-sm"
                  onClick={() => useCartStore.getState().setDiscount(kind, discountText)}
                  disabled={creating}
                  data-testid={`discount-${kind}`}
                >
                  {kind === 'amount' ? t('cart.discountAmount') : t('cart.discountPercent')}
                </button>
              ))}
            </div>
            <input
              className="input discount-input"
              inputMode="decimal"
              aria-label={t('cart.discount')}
              aria-invalid={discount === 'invalid'}
              value={discountText}
              onChange={(e) => useCartStore.getState().setDiscount(discountKind, e.target.value)}
              disabled={creating}
              data-testid="cart-discount"
            />
          </div>
          {discount === 'invalid' ? (
            <p className="notice notice-warn" role="status">
              {discountKind === 'percent' ? t('cart.badPercent') : t('cart.badAmount', { example: formatMinor(150n, code) })}
            </p>
          ) : null}

          <dl className="cart-totals">
            <dt>{t('cart.subtotal')}</dt>
            <dd data-testid="cart-subtotal">{money(totals.shelfSubtotalMinor)}</dd>
            {totals.shelfDiscountMinor > 0n ? (
              <>
                <dt>{t('cart.discount')}</dt>
                <dd data-testid="cart-discount-amount">−{money(totals.shelfDiscountMinor)}</dd>
              </>
            ) : null}
            <dt>{taxMode === 'included' ? t('cart.taxIncluded') : t('cart.tax')}</dt>
            <dd data-testid="cart-tax">{money(totals.taxMinor)}</dd>
            <dt className="cart-total-label">{t('cart.total')}</dt>
            <dd className="cart-total" data-testid="cart-total" aria-live="polite">
              {money(totals.totalMinor)}
            </dd>
          </dl>
        </div>

        <SaleTerms choices={choices} selected={selected} modeName={modeName} creating={creating} />

        {error ? (
          <p className="notice notice-bad" role="alert" data-testid="sale-error">
            {errorText(error)}
          </p>
        ) : null}
        {creating ? <p className="notice">{t('cashier.creating')}</p> : null}
        <div className="cart-actions">
          <Button size="lg" onClick={() => useCartStore.getState().clear()} disabled={creating || items.length === 0} data-testid="cart-clear">
            {t('cart.clear')}
          </Button>
          <Button variant="primary" size="lg" onClick={onCharge} disabled={!canCharge} data-testid="charge">
            {t('cashier.charge')} {items.length > 0 ? money(totals.totalMinor) : ''}
          </Button>
        </div>
      </section>

      <section className="products-zone" aria-label={t('cart.modeProducts')}>
        <input
          type="search"
          className="input products-search"
          placeholder={t('cart.search')}
          aria-label={t('cart.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="product-search"
        />
        <div className="tabs product-tabs" role="tablist">
          {[null, ...categories].map((c) => (
            <button
              key={c ?? '\u0000all'}
              type="button"
              role="tab"
              aria-selected={category === c}
              className="tab"
              onClick={() => setCategory(c)}
              data-testid="product-tab"
            >
              {c === null ? t('cart.all') : c === '' ? t('cart.other') : c}
            </button>
          ))}
        </div>
        {loaded && inCurrency.length === 0 ? <p className="hint">{t('cart.noProducts')}</p> : null}
        {loaded && inCurrency.length > 0 && shown.length === 0 ? <p className="hint">{t('cart.noMatch', { q: search })}</p> : null}
        <ProductGrid products={shown} currency={currency} onTap={(p) => useCartStore.getState().add(p, currency)} disabled={creating} />
      </section>
    </div>
  )
}

function ProductGrid({ products, currency, onTap, disabled }: { products: Product[]; currency: string; onTap: (p: Product) => void; disabled: boolean }) {
  const language = useLanguage()
  const parent = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(600)
  useEffect(() => {
    const el = parent.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width))
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  const columns = Math.max(1, Math.floor((width + GAP) / (TILE_MIN_WIDTH + GAP)))
  const rows = Math.ceil(products.length / columns)
  // Only the grid reads the virtualizer (nothing memoized receives it), as in History's list.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => parent.current, estimateSize: () => TILE_HEIGHT + GAP, overscan: 3 })
  const images = useCatalogStore((s) => s.images)

  return (
    <div ref={parent} className="product-grid" data-testid="product-grid">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            className="product-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: GAP }}
          >
            {products.slice(row.index * columns, row.index * columns + columns).map((p) => {
              if (p.has_image && !(p.id in images)) useCatalogStore.getState().image(p.id)
              const image = images[p.id]
              return (
                <button
                  key={p.id}
                  type="button"
                  className="product-tile"
                  style={{ height: TILE_HEIGHT, ...(p.color ? { borderTopColor: p.color, background: `color-mix(in srgb, ${p.color} 14%, var(--surface))` } : {}) }}
                  onClick={() => onTap(p)}
                  disabled={disabled}
                  data-testid="product-tile"
                  data-product={p.id}
                >
                  {image ? <img className="product-image" src={image} alt="" /> : null}
                  <span className="product-name">{productName(p, language)}</span>
                  <span className="product-price">{formatFiat(p.price, currency, language)}</span>
                </button>
              )
            })}
          </div>
        ))}
      </div>
    </div>
  )
}
