import { Button } from '../components'
import { formatFiat, formatToken, useErrorText, useLanguage, useT } from '../i18n'
import { baseUnitsToDecimal } from '../i18n/format'
import { couldBelongTo, useOpenSalesStore, useOwnerStore, useSaleStore, useShopStore, useUnmatchedStore } from '../state'
import { useState } from 'react'

/** "A payment of 2.70 USDC arrived that matches no open sale", with one touch to say which sale it was (#15). */
export function UnmatchedPayments() {
  const t = useT()
  const language = useLanguage()
  const errorText = useErrorText()
  const transfers = useUnmatchedStore((s) => s.transfers)
  const sales = useOpenSalesStore((s) => s.sales)
  const current = useSaleStore((s) => s.session)
  const chains = useShopStore((s) => s.chains)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  if (transfers.length === 0) return null
  const open =
    current && !sales.some((s) => s.id === current.id) && ['PENDING', 'PROCESSING'].includes(current.status) ? [current, ...sales] : sales

  return (
    <>
      {transfers.map((transfer) => {
        const decimals = chains
          .find((c) => c.chain_id === transfer.chain_id)
          ?.tokens.find((tk) => tk.address.toLowerCase() === transfer.token_address.toLowerCase())?.decimals
        const amount = formatToken(baseUnitsToDecimal(transfer.amount_base_units, decimals ?? 6), transfer.token, language)
        const candidates = open.filter((s) => couldBelongTo(transfer, s))
        return (
          <div
            key={`${transfer.tx_hash}:${transfer.log_index}`}
            className="notice notice-warn unmatched"
            role="alert"
            data-testid="unmatched"
          >
            <p>{t('unmatched.text', { amount })}</p>
            <div className="unmatched-actions">
              {candidates.map((sale) => (
                <Button
                  key={sale.id}
                  size="lg"
                  data-testid="assign-to"
                  data-session-id={sale.id}
                  // Saying which sale money belongs to is the owner's (#13): from the cashier role the PIN is asked first.
                  onClick={() =>
                    void useOwnerStore
                      .getState()
                      .askOwner()
                      .then((owner) => (owner ? useUnmatchedStore.getState().assign(transfer, sale.id) : Promise.reject(null)))
                      .then(
                        () => useSaleStore.getState().bringBack(sale.id),
                        // null: the PIN dialog was closed; nothing to say.
                        (e: unknown) =>
                          setError(e instanceof Error ? { code: (e as { code?: string }).code ?? 'unexpected', message: e.message } : null),
                      )
                  }
                >
                  {t('unmatched.assign', { amount: formatFiat(sale.amount, sale.currency, language) })}
                </Button>
              ))}
              {candidates.length === 0 ? <p className="muted">{t('unmatched.none')}</p> : null}
              <Button onClick={() => useUnmatchedStore.getState().dismiss(transfer)}>{t('unmatched.dismiss')}</Button>
            </div>
            {error ? <p>{errorText(error)}</p> : null}
          </div>
        )
      })}
    </>
  )
}
