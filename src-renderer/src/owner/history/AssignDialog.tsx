import { useCallback, useEffect, useState } from 'react'
import type { PaymentSession, Transfer } from '../../../../src-preload/contract'
import { Dialog } from '../../components'
import { formatFiat, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { SessionStatusChip, shortHash, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import { useDetailStore, useTransfersStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { transferAmount } from './TransfersView'
import { errorMessage } from '../../i18n'

/**
 * Assign an unmatched transfer to the sale it was for: recent sales that
 * offered this token on this network are listed; an order or session id
 * finds any other. The engine credits it by the usual rules.
 */
export function AssignDialog({ transfer, onClose }: { transfer: Transfer; onClose: () => void }) {
  const t = useOwnerT()
  const language = useLanguage()
  const chains = useChainsById()
  const chain = chains.get(transfer.chain_id)
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const assign = useTransfersStore((s) => s.assign)
  const [query, setQuery] = useState('')
  const [candidates, setCandidates] = useState<PaymentSession[] | null>(null)
  const [chosen, setChosen] = useState<PaymentSession | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const find = useCallback(
    (search: string, stillWanted: () => boolean = () => true) =>
      useTransfersStore
        .getState()
        .candidates(transfer, search)
        .then(
          (found) => {
            if (!stillWanted()) return
            setError(null)
            setCandidates(found)
          },
          (e: unknown) => {
            if (stillWanted()) setError(errorMessage(e))
          },
        ),
    [transfer],
  )

  // The open sales it could belong to, as soon as the dialog opens (an answer for a closed dialog is dropped).
  useEffect(() => {
    let open = true
    void find('', () => open)
    return () => {
      open = false
    }
  }, [find])

  const confirm = async () => {
    if (!chosen) return
    setBusy(true)
    setError(null)
    try {
      const session = await assign(transfer, chosen.id)
      onClose()
      void useDetailStore.getState().open(session.id)
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={t('transfers.assign.title')}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!chosen || busy}
            onClick={() => void confirm()}
            data-testid="assign-confirm"
          >
            {chosen ? t('transfers.assign.confirm', { order: chosen.order_id }) : t('transfers.assign.choose')}
          </button>
        </>
      }
    >
      <p>
        <strong>
          {t('transfers.assign.summary', { amount: transferAmount(transfer, chain, language), from: shortHash(transfer.from) })}
        </strong>
      </p>
      <p className="help">{t('transfers.assign.rules')}</p>
      <form
        className="owner-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void find(query)
        }}
      >
        <input
          className="input"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('transfers.assign.search')}
          aria-label={t('transfers.assign.search')}
          data-testid="assign-search"
        />
        <button type="submit" className="btn btn-secondary">
          {t('transfers.assign.find')}
        </button>
      </form>
      {!query.trim() ? (
        <p className="help">{t('transfers.assign.recent', { token: transfer.token, network: chain?.name ?? String(transfer.chain_id) })}</p>
      ) : null}
      {candidates && candidates.length === 0 ? <p className="muted">{t('transfers.assign.none')}</p> : null}
      <div className="owner-candidates" role="radiogroup" aria-label={t('transfers.assign.choose')}>
        {(candidates ?? []).map((s) => (
          <label key={s.id} className="owner-candidate" data-testid="assign-candidate">
            <input type="radio" name="assign-session" checked={chosen?.id === s.id} onChange={() => setChosen(s)} />
            <span className="owner-candidate-order">
              <strong>{s.order_id}</strong>
              <span className="help">{formatShortDateTime(s.created_at, zone, language)}</span>
            </span>
            <span className="num">{formatFiat(s.amount, s.currency, language)}</span>
            <SessionStatusChip status={s.status} label={t(`status.${s.status}`)} />
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  )
}
