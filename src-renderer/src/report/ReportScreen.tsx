import { useCallback, useEffect, useState } from 'react'
import type { EndOfDayQuery, EndOfDayReport, ReceiptLayout, Shift, Till } from '../../../src-preload/contract'
import { RECEIPT_LAYOUTS } from '../../../src-preload/contract'
import { shopDateTime, shopDay } from '../../../src-preload/shared/time'
import { api, BridgeError } from '../bridge'
import { formatFiat, useErrorText, useLanguage, useT } from '../i18n'
import { useAppStore, useOwnerStore, useShopStore } from '../state'
import '../owner/owner.css'

/**
 * Shifts and the end-of-day report (#17). The cashier opens and closes the
 * shift of their own till and reads its report; the owner also reads a
 * till's whole day (in the shop's time zone). The report prints on the
 * receipt paper and downloads as CSV; closing a shift also sends it to the
 * back office (report.closed).
 */
export function ReportScreen() {
  const t = useT()
  const errorText = useErrorText()
  const zone = useShopStore((s) => s.merchant?.time_zone ?? 'UTC')
  const isOwner = useOwnerStore((s) => s.status?.role === 'owner')
  const [current, setCurrent] = useState<Shift | null>(null)
  const [shifts, setShifts] = useState<Shift[]>([])
  const [tills, setTills] = useState<Till[]>([])
  const [query, setQuery] = useState<EndOfDayQuery | null>(null)
  const [report, setReport] = useState<EndOfDayReport | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [dayTill, setDayTill] = useState('')
  const [day, setDay] = useState(() => shopDay(Math.floor(Date.now() / 1000), zone))

  const fail = useCallback(
    (e: unknown) => setError(e instanceof BridgeError ? errorText({ code: e.code, message: e.message }) : String(e)),
    [errorText],
  )
  const apply = useCallback(([open, list, allTills, me]: [Shift | null, Shift[], Till[], { device: { till: string } }]) => {
    setCurrent(open)
    setShifts(list)
    setTills(allTills)
    setDayTill((t) => t || me.device.till)
  }, [])
  const refresh = useCallback(
    () =>
      Promise.all([api['shifts:current'](), api['shifts:list']({ limit: 10 }), api['tills:list'](), api['devices:me']()]).then(apply, fail),
    [apply, fail],
  )
  useEffect(() => {
    void refresh()
  }, [refresh])

  const show = async (q: EndOfDayQuery) => {
    setError(null)
    try {
      setReport(await api['reports:end-of-day'](q))
      setQuery(q)
    } catch (e) {
      fail(e)
    }
  }
  const act = async (run: () => Promise<void>) => {
    setError(null)
    setNotice(null)
    try {
      await run()
    } catch (e) {
      fail(e)
    }
    await refresh()
  }

  return (
    <div className="owner owner-page report-screen" data-testid="report-screen">
      <header className="owner-head">
        <h1>{t('report.title')}</h1>
      </header>
      <section className="owner-card" data-testid="shift-card">
        {current ? (
          <>
            <p data-testid="shift-open">{t('report.shiftOpen', { time: shopDateTime(current.opened_at, zone) })}</p>
            <div className="owner-actions">
              <button type="button" className="btn" onClick={() => void show({ shift_id: current.id })} data-testid="shift-report">
                {t('report.show')}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="shift-close"
                onClick={() =>
                  void act(async () => {
                    if (!window.confirm(t('report.closeConfirm'))) return
                    const closed = await api['shifts:close']({ id: current.id })
                    setReport(closed.report)
                    setQuery({ shift_id: closed.shift.id })
                    setNotice(t('report.closedSent'))
                  })
                }
              >
                {t('report.closeShift')}
              </button>
            </div>
          </>
        ) : (
          <>
            <p className="muted" data-testid="shift-none">
              {t('report.noShift')}
            </p>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="shift-open-button"
              onClick={() => void act(async () => void (await api['shifts:open']()))}
            >
              {t('report.openShift')}
            </button>
          </>
        )}
        {notice ? (
          <p className="notice" role="status" data-testid="shift-notice">
            {notice}
          </p>
        ) : null}
        {shifts.length > 0 ? (
          <>
            <h2>{t('report.shifts')}</h2>
            <ul className="shift-list">
              {shifts.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className="btn btn-ghost"
                    onClick={() => void show({ shift_id: s.id })}
                    data-testid={`shift-${s.id}`}
                  >
                    {shopDateTime(s.opened_at, zone)} – {s.closed_at ? shopDateTime(s.closed_at, zone) : t('report.now')} · {s.till_name}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section className="owner-card" data-testid="day-card">
        <h2>{t('report.day')}</h2>
        <div className="owner-actions">
          <label className="field">
            <span className="field-label">{t('report.till')}</span>
            <select className="input" value={dayTill} onChange={(e) => setDayTill(e.target.value)} data-testid="day-till">
              {tills.map((till) => (
                <option key={till.id} value={till.id}>
                  {till.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('report.date')}</span>
            <input type="date" className="input" value={day} onChange={(e) => setDay(e.target.value)} data-testid="day-date" />
          </label>
          <button
            type="button"
            className="btn"
            data-testid="day-show"
            onClick={() =>
              void (async () => {
                // A day's report is the owner's: the PIN first, as for any owner screen.
                if (!isOwner && !(await useOwnerStore.getState().askOwner())) return
                await show({ till: dayTill || undefined, day })
              })()
            }
          >
            {t('report.showDay')}
          </button>
        </div>
      </section>
      {error ? (
        <p className="notice notice-bad" role="alert" data-testid="report-error">
          {error}
        </p>
      ) : null}
      {report && query ? <ReportView report={report} query={query} onError={fail} /> : null}
    </div>
  )
}

/** The report itself, with Print (on the receipt paper) and Download CSV. */
export function ReportView({ report, query, onError }: { report: EndOfDayReport; query: EndOfDayQuery; onError: (e: unknown) => void }) {
  const t = useT()
  const language = useLanguage()
  const defaultLayout = useAppStore((s) => s.settings?.receipt_layout ?? '80mm')
  const [layout, setLayout] = useState<ReceiptLayout>(defaultLayout)
  const money = (amount: string, currency: string) => formatFiat(amount, currency, language)
  const zone = report.time_zone
  const title = report.day
    ? t('report.dayReport', { day: report.day })
    : t('report.shiftReport', {
        from: shopDateTime(report.from, zone),
        to: report.shift?.closed_at ? shopDateTime(report.shift.closed_at, zone) : t('report.now'),
      })

  const print = async () => {
    try {
      const doc = await api['reports:end-of-day-print']({ ...query, layout })
      printHtml(doc.html)
    } catch (e) {
      onError(e)
    }
  }
  const csv = async () => {
    try {
      const { csv: text, filename } = await api['reports:end-of-day-csv'](query)
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
      const a = document.createElement('a')
      a.href = url
      a.download = filename
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    } catch (e) {
      onError(e)
    }
  }

  return (
    <section className="owner-card report" data-testid="eod-report" data-till={report.till} data-day={report.day ?? ''}>
      <h2>
        {report.till_name} · {title}
      </h2>
      {report.totals.length === 0 ? <p className="muted">{t('report.nothing')}</p> : null}
      {report.totals.map((total) => (
        <dl className="report-totals" key={total.currency} data-testid={`eod-total-${total.currency}`}>
          <Fact label={t('report.sales')} value={String(total.sales)} id="sales" />
          <Fact label={t('report.gross')} value={money(total.gross, total.currency)} id="gross" />
          <Fact label={t('report.tips')} value={money(total.tips, total.currency)} id="tips" />
          <Fact label={t('report.tax')} value={money(total.tax, total.currency)} id="tax" />
          <Fact label={t('report.refunds')} value={money(total.refunds, total.currency)} id="refunds" />
          <Fact label={t('report.net')} value={money(total.net, total.currency)} id="net" />
        </dl>
      ))}
      {report.by_token.length > 0 ? (
        <>
          <h3>{t('report.byToken')}</h3>
          <table className="owner-table" data-testid="eod-tokens">
            <thead>
              <tr>
                <th />
                <th>{t('report.sales')}</th>
                <th>{t('report.received')}</th>
                <th>{t('report.refunds')}</th>
                <th>{t('report.net')}</th>
                <th>{t('report.tips')}</th>
              </tr>
            </thead>
            <tbody>
              {report.by_token.map((line) => (
                <tr key={`${line.chain_id}-${line.token}-${line.currency}`} data-testid={`eod-token-${line.token}`}>
                  <td>
                    {line.token} · {line.network}
                  </td>
                  <td>{line.sales}</td>
                  <td>{line.received}</td>
                  <td>{line.refunded}</td>
                  <td>{line.net}</td>
                  <td>{money(line.tips, line.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {report.by_product.length > 0 ? (
        <>
          <h3>{t('report.byProduct')}</h3>
          <table className="owner-table" data-testid="eod-products">
            <thead>
              <tr>
                <th>{t('report.product')}</th>
                <th>{t('report.quantity')}</th>
                <th>{t('report.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {report.by_product.map((p) => (
                <tr key={`${p.product_id ?? p.name}-${p.currency}`} data-testid="eod-product">
                  <td>{p.name}</td>
                  <td>{p.quantity}</td>
                  <td>{money(p.amount, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <dl className="report-totals">
        <Fact label={t('report.cancelled')} value={String(report.cancelled)} id="cancelled" />
        <Fact label={t('report.expired')} value={String(report.expired)} id="expired" />
      </dl>
      {report.exceptions.length > 0 ? (
        <>
          <h3>{t('report.attention')}</h3>
          <ul data-testid="eod-exceptions">
            {report.exceptions.map((e, i) => (
              <li key={i} data-kind={e.kind}>
                {t(`report.exception.${e.kind}`)} · {e.currency ? money(e.amount ?? '', e.currency) : `${e.amount ?? ''} ${e.token ?? ''}`}{' '}
                · <code>{e.session_id ?? e.tx_hash}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="owner-actions">
        <select className="input" value={layout} onChange={(e) => setLayout(e.target.value as ReceiptLayout)} data-testid="eod-layout">
          {RECEIPT_LAYOUTS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button type="button" className="btn" onClick={() => void print()} data-testid="eod-print">
          {t('report.print')}
        </button>
        <button type="button" className="btn" onClick={() => void csv()} data-testid="eod-csv">
          {t('report.csv')}
        </button>
      </div>
    </section>
  )
}

function Fact({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className="fact" data-fact={id}>
      <dt>{label}</dt>
      <dd data-testid={`eod-${id}`}>{value}</dd>
    </div>
  )
}

const FRAME_ID = 'report-print-frame'

/** The laid-out report in an invisible frame, printed with the browser's (or the desktop window's) print dialog. */
function printHtml(html: string): void {
  document.getElementById(FRAME_ID)?.remove()
  const frame = document.createElement('iframe')
  frame.id = FRAME_ID
  frame.title = 'report'
  frame.setAttribute('aria-hidden', 'true')
  frame.tabIndex = -1
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;visibility:hidden'
  frame.addEventListener('load', () => {
    frame.contentWindow?.focus()
    frame.contentWindow?.print()
  })
  frame.srcdoc = html
  document.body.appendChild(frame)
}
