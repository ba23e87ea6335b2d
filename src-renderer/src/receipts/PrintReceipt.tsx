import { useCallback, useEffect, useState } from 'react'
import { Button } from '../components'
import { useErrorText, useT } from '../i18n'
import { useAppStore } from '../state'
import { firstAutoPrint, inDesktop, printReceipt, saveReceiptPdf } from './print'

type Outcome = { kind: 'idle' | 'busy' | 'printed' | 'saved' } | { kind: 'failed'; code: string; message: string }

function failed(error: unknown): Outcome {
  const e = error as { code?: string; message?: string }
  return { kind: 'failed', code: e.code ?? 'print_failed', message: e.message ?? String(error) }
}

const printed = (how: 'printed' | 'browser'): Outcome => ({ kind: how === 'printed' ? 'printed' : 'idle' })

/**
 * Receipts (#16): "Print receipt" (and, in the desktop app, "Save as PDF") for
 * a paid sale, on the paper chosen in Settings → Receipts. With `auto`, it
 * also prints once by itself when the shop asked for a receipt after every
 * paid sale.
 */
export function PrintReceipt({ saleId, auto = false, size = 'md' }: { saleId: string; auto?: boolean; size?: 'md' | 'lg' }) {
  const t = useT()
  const errorText = useErrorText()
  const layout = useAppStore((s) => s.settings?.receipt_layout ?? '80mm')
  const autoPrint = useAppStore((s) => s.settings?.receipt_auto_print ?? false)
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })

  const run = useCallback(
    async (what: 'print' | 'pdf') => {
      setOutcome({ kind: 'busy' })
      try {
        if (what === 'pdf') setOutcome({ kind: (await saveReceiptPdf(saleId, layout)) ? 'saved' : 'idle' })
        else setOutcome(printed(await printReceipt(saleId, layout)))
      } catch (error) {
        setOutcome(failed(error))
      }
    },
    [saleId, layout],
  )

  useEffect(() => {
    if (!auto || !autoPrint || !firstAutoPrint(saleId)) return
    printReceipt(saleId, layout).then(
      (how) => setOutcome(printed(how)),
      (error: unknown) => setOutcome(failed(error)),
    )
  }, [auto, autoPrint, saleId, layout])

  return (
    <div className="receipt-actions" data-testid="receipt-actions">
      <Button size={size} onClick={() => void run('print')} disabled={outcome.kind === 'busy'} data-testid="print-receipt">
        {outcome.kind === 'busy' ? t('receipts.printing') : t('receipts.print')}
      </Button>
      {inDesktop() ? (
        <Button size={size} onClick={() => void run('pdf')} disabled={outcome.kind === 'busy'} data-testid="save-receipt-pdf">
          {t('receipts.savePdf')}
        </Button>
      ) : null}
      {outcome.kind === 'printed' || outcome.kind === 'saved' ? (
        <p className="muted" role="status">
          {t(outcome.kind === 'printed' ? 'receipts.printed' : 'receipts.saved')}
        </p>
      ) : null}
      {outcome.kind === 'failed' ? (
        <p className="notice notice-bad" role="alert">
          {t('receipts.failed', { message: errorText(outcome) })}
        </p>
      ) : null}
    </div>
  )
}
