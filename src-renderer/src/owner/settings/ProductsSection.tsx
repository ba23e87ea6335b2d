import { useEffect, useState } from 'react'
import type { Product, ProductInput } from '../../../../src-preload/contract'
import { PRODUCT_IMAGE_MAX_BYTES } from '../../../../src-preload/contract'
import { formatPercent, parsePercent } from '../../../../src-preload/shared/cart'
import { api } from '../../bridge'
import { formatFiat, useErrorText, useLanguage } from '../../i18n'
import { useAppStore, useShopStore } from '../../state'
import { useOwnerT } from '../i18n'

interface Draft {
  id: string | null
  name: string
  name_zh: string
  price: string
  category: string
  tax: string
  color: string | null
  /** undefined: unchanged; null: remove; a data URL: the new picture. */
  image: string | null | undefined
  active: boolean
}

const EMPTY: Draft = { id: null, name: '', name_zh: '', price: '', category: '', tax: '0', color: null, image: undefined, active: true }

/** Saves a text as a file in the browser and in the desktop window alike (a download). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/**
 * Products (#17): the shop's tax mode, the catalog (add, edit, switch off,
 * delete), and the CSV file in and out. Owner only (the engine refuses the
 * channels to a cashier).
 */
export function ProductsSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const errorText = useErrorText()
  const currency = useShopStore((s) => s.merchant?.currency ?? 'USD')
  const taxMode = useAppStore((s) => s.settings?.tax_mode ?? 'included')
  const updateSettings = useAppStore((s) => s.updateSettings)
  const [products, setProducts] = useState<Product[]>([])
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const [importErrors, setImportErrors] = useState<Array<{ line: number; message: string }>>([])

  const fail = (e: unknown) => {
    const err = e as { code?: string; message?: string }
    setError(errorText({ code: err.code ?? 'error', message: err.message ?? String(e) }))
  }

  const load = () =>
    api['products:list']({ include_inactive: true }).then(setProducts, (e: unknown) => fail(e))
  useEffect(() => {
    void load()
    // Once, when the section opens; later loads follow the owner's own changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const taxBp = parsePercent(draft.tax)
  const save = async () => {
    setError(null)
    setNote(null)
    if (taxBp === null) return setError(t('products.badPercent'))
    const fields: ProductInput = {
      name: draft.name,
      name_zh: draft.name_zh || null,
      price: draft.price.trim().replace(',', '.'),
      category: draft.category || null,
      color: draft.color,
      tax_rate_bp: taxBp,
      active: draft.active,
      ...(draft.image !== undefined ? { image: draft.image } : {}),
    }
    try {
      if (draft.id) await api['products:update']({ id: draft.id, ...fields })
      else await api['products:create'](fields)
      setDraft(EMPTY)
      await load()
    } catch (e) {
      fail(e)
    }
  }

  const pickImage = (file: File | undefined) => {
    setError(null)
    if (!file) return
    if (file.size > PRODUCT_IMAGE_MAX_BYTES)
      return setError(t('products.imageTooBig', { kb: Math.ceil(file.size / 1024), max: PRODUCT_IMAGE_MAX_BYTES / 1024 }))
    const reader = new FileReader()
    reader.onload = () => setDraft((d) => ({ ...d, image: String(reader.result) }))
    reader.readAsDataURL(file)
  }

  const importFile = async (file: File | undefined) => {
    setError(null)
    setNote(null)
    setImportErrors([])
    if (!file) return
    try {
      const result = await api['products:import-csv']({ csv: await file.text() })
      if (result.errors.length > 0) setImportErrors(result.errors)
      else setNote(t('products.imported', { created: result.created, updated: result.updated }))
      await load()
    } catch (e) {
      fail(e)
    }
  }

  const exportFile = async () => {
    setError(null)
    try {
      const { csv } = await api['products:export-csv']()
      download(`stablepay-products-${new Date().toISOString().slice(0, 10)}.csv`, csv)
    } catch (e) {
      fail(e)
    }
  }

  const edit = (p: Product) =>
    setDraft({
      id: p.id,
      name: p.name,
      name_zh: p.name_zh ?? '',
      price: p.price,
      category: p.category ?? '',
      tax: formatPercent(p.tax_rate_bp),
      color: p.color,
      image: undefined,
      active: p.active,
    })

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="products-settings">
      <h2 id={`${id}-title`}>{t('products.title')}</h2>
      <p className="help">{t('products.help', { currency })}</p>

      <fieldset className="field">
        <legend className="field-label">{t('products.taxMode')}</legend>
        <div className="owner-radio-row" role="radiogroup">
          {(['included', 'added'] as const).map((mode) => (
            <label key={mode} className="owner-radio">
              <input
                type="radio"
                name="tax-mode"
                checked={taxMode === mode}
                onChange={() => updateSettings({ tax_mode: mode }).catch(fail)}
                data-testid={`tax-mode-${mode}`}
              />
              {mode === 'included' ? t('products.taxIncluded') : t('products.taxAdded')}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="owner-form-grid" data-testid="product-form">
        <label className="field">
          <span className="field-label">{t('products.name')}</span>
          <input className="input" maxLength={80} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="product-name" />
        </label>
        <label className="field">
          <span className="field-label">{t('products.nameZh')}</span>
          <input className="input" maxLength={80} value={draft.name_zh} onChange={(e) => setDraft({ ...draft, name_zh: e.target.value })} data-testid="product-name-zh" />
        </label>
        <label className="field">
          <span className="field-label">
            {t('products.price')} ({currency})
          </span>
          <input className="input" inputMode="decimal" value={draft.price} onChange={(e) => setDraft({ ...draft, price: e.target.value })} data-testid="product-price" />
        </label>
        <label className="field">
          <span className="field-label">{t('products.category')}</span>
          <input className="input" maxLength={40} value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} data-testid="product-category" />
        </label>
        <label className="field">
          <span className="field-label">{t('products.taxRate')}</span>
          <input
            className="input"
            inputMode="decimal"
            value={draft.tax}
            aria-invalid={taxBp === null}
            onChange={(e) => setDraft({ ...draft, tax: e.target.value })}
            data-testid="product-tax"
          />
        </label>
        <div className="field">
          <span className="field-label">{t('products.color')}</span>
          <span className="owner-radio-row">
            <input type="color" value={draft.color ?? '#cccccc'} onChange={(e) => setDraft({ ...draft, color: e.target.value })} aria-label={t('products.color')} />
            <label className="owner-radio">
              <input type="checkbox" checked={draft.color === null} onChange={(e) => setDraft({ ...draft, color: e.target.checked ? null : '#cccccc' })} />
              {t('products.noColor')}
            </label>
          </span>
        </div>
        <label className="field">
          <span className="field-label">{t('products.image', { kb: PRODUCT_IMAGE_MAX_BYTES / 1024 })}</span>
          <input type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => pickImage(e.target.files?.[0])} data-testid="product-image" />
          {draft.id ? (
            <label className="owner-radio">
              <input type="checkbox" checked={draft.image === null} onChange={(e) => setDraft({ ...draft, image: e.target.checked ? null : undefined })} />
              {t('products.removeImage')}
            </label>
          ) : null}
        </label>
        <label className="owner-radio">
          <input type="checkbox" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} data-testid="product-active" />
          {t('products.active')}
        </label>
      </div>
      <div className="owner-actions">
        <button type="button" className="btn btn-primary" disabled={!draft.name.trim() || !draft.price.trim()} onClick={() => void save()} data-testid="product-save">
          {draft.id ? t('products.save') : t('products.add')}
        </button>
        {draft.id ? (
          <button type="button" className="btn" onClick={() => setDraft(EMPTY)}>
            {t('products.cancelEdit')}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="notice notice-bad" role="alert" data-testid="product-error">
          {error}
        </p>
      ) : null}

      <div className="owner-actions">
        <label className="btn">
          {t('products.import')}
          <input
            type="file"
            accept=".csv,text/csv"
            hidden
            onChange={(e) => {
              void importFile(e.target.files?.[0])
              e.target.value = ''
            }}
            data-testid="products-import"
          />
        </label>
        <button type="button" className="btn" onClick={() => void exportFile()} data-testid="products-export">
          {t('products.export')}
        </button>
        {note ? (
          <span className="muted" role="status" data-testid="products-note">
            {note}
          </span>
        ) : null}
      </div>
      <p className="help">{t('products.csvHelp')}</p>
      {importErrors.length > 0 ? (
        <div className="notice notice-bad" role="alert" data-testid="products-import-errors">
          <p>{t('products.importErrors')}</p>
          <ul>
            {importErrors.slice(0, 20).map((e) => (
              <li key={e.line}>{t('products.line', { line: e.line, message: e.message })}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <p className="muted">{products.length === 0 ? t('products.none') : t('products.count', { n: products.length })}</p>
      {products.length > 0 ? (
        <div className="owner-table-wrap">
          <table className="owner-table" data-testid="products-table">
            <thead>
              <tr>
                <th>{t('products.name')}</th>
                <th>{t('products.category')}</th>
                <th>{t('products.price')}</th>
                <th>{t('products.taxRate')}</th>
                <th>{t('products.active')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {products.slice(0, 500).map((p) => (
                <tr key={p.id} data-testid="product-row">
                  <td>
                    {p.color ? <span className="network-dot" style={{ background: p.color }} aria-hidden /> : null} {p.name}
                    {p.name_zh ? <span className="muted"> · {p.name_zh}</span> : null}
                  </td>
                  <td>{p.category ?? ''}</td>
                  <td>{formatFiat(p.price, p.currency, language)}</td>
                  <td>{formatPercent(p.tax_rate_bp)}</td>
                  <td>
                    <input
                      type="checkbox"
                      checked={p.active}
                      aria-label={t('products.active')}
                      onChange={(e) => void api['products:update']({ id: p.id, active: e.target.checked }).then(load, fail)}
                    />
                  </td>
                  <td>
                    <button type="button" className="btn btn-ghost" onClick={() => edit(p)}>
                      {t('products.edit')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost"
                      onClick={() => {
                        if (window.confirm(t('products.deleteConfirm', { name: p.name }))) void api['products:delete']({ id: p.id }).then(load, fail)
                      }}
                    >
                      {t('products.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}
