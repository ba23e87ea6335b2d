import { useCallback, useEffect, useState } from 'react'
import { REFUND_STATUSES } from '../../../../src-preload/contract'
import type { Refund, RefundStatus } from '../../../../src-preload/contract'
import { download } from '../../bridge'
import { NetworkName } from '../../components'
import { formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { ExplorerLink, shortHash, ToneChip, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import { refundsExportHref, refundTone, toRefundFilter } from '../refunds'
import { canDownloadCsv, useDetailStore, useRefundsListStore, useSaleRefundsStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { usePagedRows } from './usePagedRows'
import { errorMessage } from '../../i18n'

const SEARCH_PAUSE_MS = 300

/** Opens the refund in its sale's drawer: the refund belongs to the sale, and the drawer shows both. */
export function openRefund(refund: Pick<Refund, 'id' | 'session_id'>): void {
  useSaleRefundsStore.getState().focus(refund.session_id, { refundId: refund.id })
  void useDetailStore.getState().open(refund.session_id)
}

/** History → Refunds: every refund, newest first, filtered by status and sale, with its CSV. */
export function RefundsView() {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const chains = useChainsById()
  const rows = useRefundsListStore((s) => s.rows)
  const hasMore = useRefundsListStore((s) => s.hasMore)
  const loading = useRefundsListStore((s) => s.loading)
  const loaded = useRefundsListStore((s) => s.loaded)
  const error = useRefundsListStore((s) => s.error)
  const reload = useRefundsListStore((s) => s.reload)
  const loadMore = useRefundsListStore((s) => s.loadMore)

  useEffect(() => {
    if (!useRefundsListStore.getState().loaded) void reload()
  }, [reload])

  const nextPage = useCallback(() => void loadMore(), [loadMore])
  const { scrollRef, virtualizer, items } = usePagedRows({
    rows: rows.length,
    trailingRow: hasMore,
    canLoadMore: hasMore && !loading,
    loadMore: nextPage,
    prefetchRows: 40,
  })

  return (
    <>
      <RefundFilters />
      <div className="owner-table owner-refunds" role="table" aria-label={t('history.refunds.list.table')} data-testid="refunds-table">
        <div className="owner-row owner-row-head" role="row">
          <span role="columnheader">{t('history.refunds.col.time')}</span>
          <span role="columnheader" className="num">
            {t('history.refunds.col.amount')}
          </span>
          <span role="columnheader">{t('history.refunds.col.sale')}</span>
          <span role="columnheader">{t('history.refunds.col.destination')}</span>
          <span role="columnheader">{t('history.refunds.col.status')}</span>
          <span role="columnheader">{t('history.refunds.col.tx')}</span>
        </div>
        <div className="owner-scroll" ref={scrollRef}>
          {error ? (
            <p className="notice notice-bad owner-table-note" role="alert">
              {error}
            </p>
          ) : !loaded || (loading && rows.length === 0) ? (
            <p className="muted owner-table-note">{t('history.loading')}</p>
          ) : rows.length === 0 ? (
            <p className="muted owner-table-note" data-testid="refunds-empty">
              {t('history.refunds.list.empty')}
            </p>
          ) : (
            <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const refund = rows[item.index]
                const style = { transform: `translateY(${item.start}px)` }
                if (!refund)
                  return (
                    <div key="more" className="owner-row owner-virtual" style={style} role="row">
                      <span role="cell" className="muted">
                        {t('history.loadingMore')}
                      </span>
                    </div>
                  )
                const chain = chains.get(refund.chain_id)
                return (
                  <div
                    key={refund.id}
                    className="owner-row owner-row-body owner-virtual"
                    style={style}
                    role="row"
                    tabIndex={0}
                    aria-label={t('history.refunds.open', { id: refund.id })}
                    onClick={() => openRefund(refund)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault()
                        openRefund(refund)
                      }
                    }}
                    data-testid="refund-row"
                    data-refund-id={refund.id}
                    data-status={refund.status}
                  >
                    <span role="cell" className="owner-cell-time">
                      {formatShortDateTime(refund.created_at, zone, language)}
                    </span>
                    <span role="cell" className="num owner-cell-token">
                      <span className="owner-token">{formatToken(refund.amount, refund.token, language)}</span>
                      <NetworkName name={chain?.name ?? refund.network} color={chain?.color ?? '#888'} className="owner-network" />
                    </span>
                    <span role="cell" className="mono" title={refund.session_id}>
                      {shortHash(refund.session_id)}
                    </span>
                    <span role="cell" className="mono" title={refund.destination}>
                      {shortHash(refund.destination)}
                    </span>
                    <span role="cell">
                      <ToneChip tone={refundTone(refund.status)} label={t(`history.refunds.status.${refund.status}`)} />
                    </span>
                    <span role="cell">
                      {refund.tx_hash ? <ExplorerLink chain={chain} txHash={refund.tx_hash} /> : <span className="muted">—</span>}
                    </span>
                  </div>
                )
              })}
            </div>
          )}
        </div>
      </div>
    </>
  )
}

function RefundFilters() {
  const t = useOwnerT()
  const filter = useRefundsListStore((s) => s.filter)
  const setFilter = useRefundsListStore((s) => s.setFilter)
  const exportToFile = useRefundsListStore((s) => s.exportToFile)
  const [exportNote, setExportNote] = useState<string | null>(null)

  // The sale box is asked once the owner pauses (or presses Enter), like History's search.
  const [session, setSession] = useState(filter.sessionId)
  const [shownFilter, setShownFilter] = useState(filter.sessionId)
  if (shownFilter !== filter.sessionId) {
    setShownFilter(filter.sessionId)
    setSession(filter.sessionId)
  }
  useEffect(() => {
    if (session === filter.sessionId) return
    const timer = setTimeout(() => setFilter({ sessionId: session }), SEARCH_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [session, filter.sessionId, setFilter])

  return (
    <form
      className="owner-filters"
      role="search"
      aria-label={t('history.filters')}
      onSubmit={(e) => (e.preventDefault(), setFilter({ sessionId: session }))}
    >
      <label className="owner-field">
        <span className="field-label">{t('history.status')}</span>
        <select
          className="input"
          value={filter.status}
          onChange={(e) => setFilter({ status: e.target.value as RefundStatus | '' })}
          data-testid="refunds-filter-status"
        >
          <option value="">{t('history.refunds.list.status.all')}</option>
          {REFUND_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`history.refunds.status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="owner-field owner-field-search">
        <span className="field-label">{t('history.refunds.list.session')}</span>
        <input
          className="input mono"
          type="search"
          value={session}
          placeholder={t('history.refunds.list.sessionPlaceholder')}
          onChange={(e) => setSession(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          data-testid="refunds-filter-session"
        />
      </label>
      <div className="owner-filter-actions">
        {filter.status !== '' || filter.sessionId !== '' ? (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => (setSession(''), setFilter({ status: '', sessionId: '' }))}
            data-testid="refunds-filter-clear"
          >
            {t('history.clear')}
          </button>
        ) : null}
        {canDownloadCsv() ? (
          // A plain link: the browser streams the file to disk, as for the sales export.
          <a
            className="btn btn-secondary owner-export"
            href={refundsExportHref(toRefundFilter(filter))}
            download
            onClick={(event) => {
              // A link cannot carry the session header: the download goes through a one-time ticket (#13).
              event.preventDefault()
              void download(refundsExportHref(toRefundFilter(filter)))
            }}
            title={t('history.refunds.list.exportHelp')}
            data-testid="refunds-export-csv"
          >
            ⤓ {t('history.export')}
          </a>
        ) : (
          <button
            type="button"
            className="btn btn-secondary"
            title={t('history.refunds.list.exportHelp')}
            data-testid="refunds-export-csv"
            onClick={() => {
              setExportNote(null)
              exportToFile().then(
                (result) => setExportNote(result.saved ? t('history.refunds.list.exportSaved', { n: result.rows }) : null),
                (error: unknown) => setExportNote(errorMessage(error)),
              )
            }}
          >
            ⤓ {t('history.export')}
          </button>
        )}
        {exportNote ? (
          <span className="owner-export-note" role="status">
            {exportNote}
          </span>
        ) : null}
      </div>
    </form>
  )
}
