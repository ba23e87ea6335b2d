import type { FormEvent } from 'react'
import { useEffect, useState } from 'react'
import { REFUND_REASONS } from '../../../../src-preload/contract'
import type { PaymentSession, Refundable, RefundableOption, RefundReason } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { formatToken, useLanguage } from '../../i18n'
import { useOwnerT } from '../i18n'
import type { TextCheck } from '../refunds'
import { checkDestination, checkRefundAmount, firstRefundable, optionKey } from '../refunds'
import { useSaleRefundsStore } from '../state'
import { useRefundErrorText } from './refundErrors'

/** A pause after typing before the engine is asked about the address: a paste is one question, typing a few. */
const ADDRESS_PAUSE_MS = 200

/**
 * The refund form in the sale's drawer: which token (when the sale received
 * more than one), how much (prefilled with what the engine suggests: the
 * overpaid part of an overpaid sale, else everything left), why, and where to
 * (prefilled with the address the payment came from, with the plain warning
 * that it may be an exchange's). Checked as typed; the engine checks again.
 */
export function RefundForm({ session, refundable }: { session: PaymentSession; refundable: Refundable }) {
  const options = refundable.options.filter((o) => BigInt(o.refundable_base_units) > 0n)
  const [choice, setChoice] = useState(() => {
    const first = firstRefundable(options)
    return first ? optionKey(first) : ''
  })
  const option = options.find((o) => optionKey(o) === choice) ?? options[0]
  if (!option) return null
  // A new token starts the amount and address over from its own suggestions.
  return <RefundFields key={optionKey(option)} session={session} options={options} option={option} onChoose={setChoice} />
}

function RefundFields({
  session,
  options,
  option,
  onChoose,
}: {
  session: PaymentSession
  options: RefundableOption[]
  option: RefundableOption
  onChoose: (key: string) => void
}) {
  const t = useOwnerT()
  const language = useLanguage()
  const errorText = useRefundErrorText()
  const create = useSaleRefundsStore((s) => s.create)
  const closeForm = useSaleRefundsStore((s) => s.closeForm)
  const [amount, setAmount] = useState(option.suggested)
  const [reason, setReason] = useState<RefundReason>('requested_by_customer')
  const [destination, setDestination] = useState(option.default_destination ?? '')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const amountCheck = checkRefundAmount(amount, option)
  const shopAddresses = session.payment_options.map((o) => o.address)
  const localDestination = checkDestination(destination, shopAddresses)
  const engineDestination = useEngineAddressCheck(localDestination.ok ? localDestination.value : null)
  const destinationCheck: TextCheck | 'checking' = !localDestination.ok ? localDestination : engineDestination
  const max = formatToken(option.refundable, option.token, language)
  const overpaidPrefill = session.exceptions.includes('overpaid') && option.suggested !== option.refundable
  const ready = amountCheck.ok && destinationCheck !== 'checking' && destinationCheck.ok && !busy

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (busy || !amountCheck.ok || destinationCheck === 'checking' || !destinationCheck.ok) return
    setBusy(true)
    setError(null)
    const description = note.trim()
    create({
      session_id: session.id,
      amount: amountCheck.amount,
      chain_id: option.chain_id,
      token: option.token,
      reason,
      destination: destinationCheck.value,
      ...(description ? { description } : {}),
    }).then(
      () => setBusy(false),
      (e: unknown) => (setBusy(false), setError(errorText(e))),
    )
  }

  const amountFeedback = amount !== option.suggested || !amountCheck.ok
  return (
    <form className="owner-refund-form" onSubmit={submit} data-testid="refund-form" aria-labelledby="refund-form-title" noValidate>
      <h4 id="refund-form-title">{t('history.refunds.form.title')}</h4>
      <p className="help">{t('history.refunds.form.howItWorks')}</p>

      {options.length > 1 ? (
        <label className="field">
          <span className="field-label">{t('history.refunds.form.token')}</span>
          <select className="input" value={optionKey(option)} onChange={(e) => onChoose(e.target.value)} data-testid="refund-token">
            {options.map((o) => (
              <option key={optionKey(o)} value={optionKey(o)}>
                {t('history.refunds.form.tokenOption', { token: o.token, network: o.network, max: o.refundable })}
              </option>
            ))}
          </select>
        </label>
      ) : null}

      <label className="field" htmlFor="refund-amount-input">
        <span className="field-label">
          {t('history.refunds.form.amount')} ({option.token})
        </span>
        <input
          id="refund-amount-input"
          className={`input owner-refund-amount-input ${!amountCheck.ok ? 'input-invalid' : ''}`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => (setAmount(e.target.value), setError(null))}
          autoComplete="off"
          aria-invalid={!amountCheck.ok ? true : undefined}
          aria-describedby="refund-amount-feedback"
          data-testid="refund-amount-input"
        />
      </label>
      <p
        id="refund-amount-feedback"
        className={amountCheck.ok ? 'help' : 'field-error'}
        data-testid="refund-amount-feedback"
        aria-live="polite"
      >
        {!amountCheck.ok
          ? t(amountCheck.key, amountCheck.params)
          : overpaidPrefill && !amountFeedback
            ? t('history.refunds.form.amountOverpaid', { amount: formatToken(option.suggested, option.token, language), max })
            : t('history.refunds.form.amountHelp', { max })}
      </p>

      <label className="field">
        <span className="field-label">{t('history.refunds.form.reason')}</span>
        <select className="input" value={reason} onChange={(e) => setReason(e.target.value as RefundReason)} data-testid="refund-reason">
          {REFUND_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`history.refunds.reason.${r}`)}
            </option>
          ))}
        </select>
      </label>

      <label className="field" htmlFor="refund-destination-input">
        <span className="field-label">{t('history.refunds.form.destination')}</span>
        <input
          id="refund-destination-input"
          className={`input mono ${destinationCheck !== 'checking' && !destinationCheck.ok ? 'input-invalid' : ''}`}
          value={destination}
          onChange={(e) => (setDestination(e.target.value), setError(null))}
          spellCheck={false}
          autoComplete="off"
          placeholder="0x…"
          aria-invalid={destinationCheck !== 'checking' && !destinationCheck.ok ? true : undefined}
          aria-describedby="refund-destination-feedback refund-destination-warning"
          data-testid="refund-destination-input"
        />
      </label>
      <div id="refund-destination-feedback" aria-live="polite" data-testid="refund-destination-feedback">
        {destinationCheck === 'checking' ? (
          <p className="help">{t('history.refunds.form.checking')}</p>
        ) : destinationCheck.ok ? (
          <p className="field-ok">✓ {t('history.refunds.form.addressOk', { address: destinationCheck.value })}</p>
        ) : (
          <p className="field-error">{t(destinationCheck.key, destinationCheck.params)}</p>
        )}
      </div>
      <p id="refund-destination-warning" className="notice notice-warn" role="note" data-testid="refund-destination-warning">
        {option.default_destination ? t('history.refunds.form.destinationFromPayment') : t('history.refunds.form.destinationNoPayment')}
      </p>

      <label className="field">
        <span className="field-label">{t('history.refunds.form.note')}</span>
        <input className="input" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} data-testid="refund-note" />
      </label>

      {error ? (
        <p className="field-error" role="alert" data-testid="refund-form-error">
          {error}
        </p>
      ) : null}
      <div className="owner-actions">
        <button type="submit" className="btn btn-primary" disabled={!ready} data-testid="refund-create">
          {busy ? t('history.refunds.form.creating') : t('history.refunds.form.create')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={closeForm} data-testid="refund-form-cancel">
          {t('history.refunds.form.cancel')}
        </button>
      </div>
    </form>
  )
}

/**
 * The EIP-55 checksum of an address that has the right shape, asked of the
 * engine (keccak is there, not in the screens): 'checking' until it answers,
 * then the checksummed form to send, or the owner's words for a mistyped one.
 */
function useEngineAddressCheck(address: string | null): TextCheck | 'checking' {
  const [answer, setAnswer] = useState<{ address: string; check: TextCheck } | null>(null)
  useEffect(() => {
    if (address === null) return
    let current = true
    const timer = setTimeout(() => {
      api['setup:preview-xpub']({ xpub: address }).then(
        ({ addresses }) => current && setAnswer({ address, check: { ok: true, value: addresses[0] ?? address } }),
        (error: unknown) => {
          if (!current) return
          const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
          // The shape was checked here already: what the engine refuses is the checksum. Anything else
          // (the line is down) is said as it is.
          const check: TextCheck =
            code === 'parameter_invalid'
              ? { ok: false, key: 'history.refunds.check.destinationChecksum' }
              : { ok: false, key: 'history.refunds.error.connection' }
          setAnswer({ address, check })
        },
      )
    }, ADDRESS_PAUSE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [address])
  if (address === null) return 'checking'
  return answer && answer.address === address ? answer.check : 'checking'
}
