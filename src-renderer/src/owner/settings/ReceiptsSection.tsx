import { useEffect, useState } from 'react'
import type { PrinterInfo, ReceiptLayout } from '../../../../src-preload/contract'
import { RECEIPT_LAYOUTS } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useErrorText, useT } from '../../i18n'
import { inDesktop } from '../../receipts'
import { useAppStore, useShopStore } from '../../state'

/**
 * Receipts (#16): the shop's address as printed, the paper, printing after
 * every paid sale, and (desktop) the printer receipts go to silently.
 */
export function ReceiptsSection({ id }: { id: string }) {
  const t = useT()
  const errorText = useErrorText()
  const settings = useAppStore((s) => s.settings)
  const updateSettings = useAppStore((s) => s.updateSettings)
  const [address, setAddress] = useState<string | null>(null)
  const [stored, setStored] = useState('')
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [printers, setPrinters] = useState<PrinterInfo[]>([])
  const desktop = inDesktop()

  useEffect(() => {
    void api['merchant:get']().then(
      (m) => {
        setStored(m.address ?? '')
        setAddress((current) => current ?? m.address ?? '')
      },
      () => setAddress((current) => current ?? ''),
    )
    if (desktop) void api['receipts:printers']().then(setPrinters, () => setPrinters([]))
  }, [desktop])

  const fail = (e: unknown) => {
    const err = e as { code?: string; message?: string }
    setError(errorText({ code: err.code ?? 'unexpected' }))
  }
  const saveAddress = async () => {
    setError(null)
    setNote(null)
    try {
      const merchant = await api['merchant:update']({ address: address ?? '' })
      setStored(merchant.address ?? '')
      setAddress(merchant.address ?? '')
      setNote(t('receipts.settings.saved'))
      void useShopStore
        .getState()
        .load()
        .catch(() => undefined)
    } catch (e) {
      fail(e)
    }
  }
  const set = (patch: Parameters<typeof updateSettings>[0]) => {
    setError(null)
    updateSettings(patch).catch(fail)
  }

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="receipts-settings">
      <h2 id={`${id}-title`}>{t('receipts.settings.title')}</h2>
      <label className="field">
        <span className="field-label">{t('receipts.settings.address')}</span>
        <textarea
          className="input"
          rows={3}
          maxLength={300}
          value={address ?? ''}
          onChange={(e) => setAddress(e.target.value)}
          data-testid="receipt-address"
        />
        <span className="help">{t('receipts.settings.addressHelp')}</span>
      </label>
      <div className="owner-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={address === null || address.trim() === stored.trim()}
          onClick={() => void saveAddress()}
          data-testid="receipt-address-save"
        >
          {t('receipts.settings.save')}
        </button>
        {note ? (
          <span className="muted" role="status">
            {note}
          </span>
        ) : null}
      </div>
      <fieldset className="field">
        <legend className="field-label">{t('receipts.settings.layout')}</legend>
        <div className="owner-radio-row" role="radiogroup">
          {RECEIPT_LAYOUTS.map((layout: ReceiptLayout) => (
            <label key={layout} className="owner-radio">
              <input
                type="radio"
                name="receipt-layout"
                checked={settings?.receipt_layout === layout}
                onChange={() => set({ receipt_layout: layout })}
                data-testid={`receipt-layout-${layout}`}
              />
              {t(`receipts.settings.layout.${layout}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="owner-radio">
        <input
          type="checkbox"
          checked={settings?.receipt_auto_print ?? false}
          onChange={(e) => set({ receipt_auto_print: e.target.checked })}
          data-testid="receipt-auto-print"
        />
        {t('receipts.settings.auto')}
      </label>
      {desktop ? (
        <label className="field">
          <span className="field-label">{t('receipts.settings.printer')}</span>
          <select
            className="input"
            value={settings?.receipt_printer ?? ''}
            onChange={(e) => set({ receipt_printer: e.target.value || null })}
            data-testid="receipt-printer"
          >
            <option value="">{t('receipts.settings.defaultPrinter')}</option>
            {printers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="help">{t('receipts.settings.browserPrinter')}</p>
      )}
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}
