import { memo, useCallback, useEffect } from 'react'
import type { ChainConfig } from '../../../../src-preload/contract'
import { NetworkName } from '../../components'
import type { Language } from '../../i18n'
import { formatFiat, formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { ExplorerLink, SessionStatusChip, ToneChip, useChainsById } from '../components'
import type { HistoryRow } from '../historyQuery'
import type { OwnerT } from '../i18n'
import { useOwnerT } from '../i18n'
import { useDetailStore, useHistoryStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { usePagedRows } from './usePagedRows'

/** Ask for the next page this many rows (3 pages) before the end: one request stays in flight while the owner flicks fast, and a slow answer still arrives before the end is reached. */
const PREFETCH_ROWS = 300

/**
 * The sales list: a dense, calm table, virtualised (only the rows in view
 * exist in the page), fetching the next page by cursor as the owner
 * scrolls towards the end. Smooth with a million sessions.
 */
export function SessionTable() {
  const t = useOwnerT()
  const language = useLanguage()
  const rows = useHistoryStore((s) => s.rows)
  const hasMore = useHistoryStore((s) => s.hasMore)
  const loading = useHistoryStore((s) => s.loading)
  const loaded = useHistoryStore((s) => s.loaded)
  const error = useHistoryStore((s) => s.error)
  const newActivity = useHistoryStore((s) => s.newActivity)
  const reload = useHistoryStore((s) => s.reload)
  const loadMore = useHistoryStore((s) => s.loadMore)
  const open = useDetailStore((s) => s.open)
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const chains = useChainsById()

  const nextPage = useCallback(() => void loadMore(), [loadMore])
  const { scrollRef, virtualizer, items } = usePagedRows({
    rows: rows.length,
    trailingRow: hasMore || loading,
    canLoadMore: hasMore && !loading,
    loadMore: nextPage,
    prefetchRows: PREFETCH_ROWS,
  })

  // A new filter (or a reload) starts at the top.
  const applied = useHistoryStore((s) => s.applied)
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
  }, [applied, scrollRef])

  // New sales come into the list by themselves only while its top is in view (history.ts receive).
  const setAtTop = useHistoryStore((s) => s.setAtTop)
  useEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const onScroll = () => setAtTop(el.scrollTop < 8)
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [scrollRef, setAtTop])

  return (
    <div
      className="owner-table owner-sessions"
      role="table"
      aria-label={t('history.table')}
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      data-testid="history-table"
    >
      {newActivity > 0 ? (
        <button type="button" className="owner-new-activity" onClick={() => void reload()} data-testid="history-new-activity">
          {t('history.newActivity', { n: newActivity })}
        </button>
      ) : null}
      <div className="owner-row owner-row-head" role="row">
        <span role="columnheader">{t('history.col.time')}</span>
        <span role="columnheader">{t('history.col.order')}</span>
        <span role="columnheader" className="num">
          {t('history.col.amount')}
        </span>
        <span role="columnheader">{t('history.col.token')}</span>
        <span role="columnheader">{t('history.col.status')}</span>
        <span role="columnheader">{t('history.col.tx')}</span>
      </div>
      <div className="owner-scroll" ref={scrollRef} data-testid="history-scroll">
        {error ? (
          <p className="notice notice-bad owner-table-note" role="alert">
            {error}
          </p>
        ) : !loaded || (loading && rows.length === 0) ? (
          <p className="muted owner-table-note">{t('history.loading')}</p>
        ) : rows.length === 0 ? (
          <p className="muted owner-table-note" data-testid="history-empty">
            {t('history.empty')}
          </p>
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index]
              return row ? (
                <SessionRowView
                  key={row.id}
                  row={row}
                  top={item.start}
                  index={item.index}
                  zone={zone}
                  language={language}
                  chains={chains}
                  t={t}
                  onOpen={open}
                />
              ) : (
                <div
                  key="more"
                  className="owner-row owner-row-more owner-virtual"
                  style={{ transform: `translateY(${item.start}px)` }}
                  role="row"
                  data-testid="history-loading-more"
                >
                  <span role="cell" className="muted">
                    {t('history.loadingMore')}
                  </span>
                </div>
              )
            })}
          </div>
        )}
        {loaded && !hasMore && !loading && rows.length > 0 ? (
          <p className="help owner-table-end" data-testid="history-end">
            {t('history.end', { n: rows.length })}
          </p>
        ) : null}
      </div>
    </div>
  )
}

interface RowProps {
  row: HistoryRow
  /** Offset in the scrolled list, px. */
  top: number
  index: number
  zone: string
  language: Language
  chains: Map<number, ChainConfig>
  t: OwnerT
  onOpen: (id: string) => void
}

// Memoised: while scrolling, only rows entering the view render.
const SessionRowView = memo(function SessionRowView({ row, top, index, zone, language, chains, t, onOpen }: RowProps) {
  const chain = chains.get(row.txChainId ?? row.chainIds[0] ?? -1)
  const networks = row.chainIds.map((id) => chains.get(id))
  return (
    <div
      className="owner-row owner-row-body owner-virtual"
      style={{ transform: `translateY(${top}px)` }}
      role="row"
      aria-rowindex={index + 2}
      tabIndex={0}
      data-testid="history-row"
      data-session-id={row.id}
      aria-label={t('history.open', { order: row.orderId })}
      onClick={() => void onOpen(row.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault()
          void onOpen(row.id)
        }
      }}
    >
      <span role="cell" className="owner-cell-time">
        {formatShortDateTime(row.createdAt, zone, language)}
      </span>
      <span role="cell" className="owner-cell-order" title={row.orderId}>
        {row.orderNumber ? (
          <strong className="owner-order-number" data-testid="history-order-number">
            {row.orderNumber}
          </strong>
        ) : null}
        {row.orderNumber && !row.orderId.startsWith('pos-') ? ' · ' : null}
        {row.orderNumber && row.orderId.startsWith('pos-') ? null : row.orderId}
      </span>
      <span role="cell" className="num owner-cell-amount">
        {formatFiat(row.amount, row.currency, language)}
      </span>
      <span role="cell" className="owner-cell-token">
        <span className="owner-token">
          {row.paid && row.paidToken ? formatToken(row.paid, row.paidToken, language) : row.tokens.join(', ')}
        </span>
        {networks.length === 1 || row.paid ? (
          <NetworkName
            name={chain?.name ?? `#${row.txChainId ?? row.chainIds[0]}`}
            color={chain?.color ?? '#888'}
            className="owner-network"
          />
        ) : (
          <span className="muted owner-network">{networks.map((c) => c?.name).join(', ')}</span>
        )}
      </span>
      <span role="cell" className="owner-cell-status">
        <SessionStatusChip status={row.status} label={t(`status.${row.status}`)} />
        {row.exceptions[0] ? <ToneChip tone="warn" label={t(`history.exception.${row.exceptions[0]}`)} /> : null}
      </span>
      <span role="cell" className="owner-cell-tx">
        {row.txHash ? (
          <>
            <ExplorerLink chain={chains.get(row.txChainId ?? -1)} txHash={row.txHash} />
            {row.txCount > 1 ? <span className="muted"> {t('history.moreTx', { n: row.txCount - 1 })}</span> : null}
          </>
        ) : (
          <span className="muted">{t('history.noTx')}</span>
        )}
      </span>
    </div>
  )
})
