import { useEffect, useMemo, useState } from 'react'
import { SESSION_STATUSES } from '../../../../src-preload/contract'
import type { SessionStatus } from '../../../../src-preload/contract'
import { useAppStore, useShopStore } from '../../state'
import { download } from '../../bridge'
import type { DatePreset } from '../historyQuery'
import { DATE_PRESETS, EMPTY_FILTER, exportHref } from '../historyQuery'
import { useOwnerT } from '../i18n'
import { LineItemsExport } from './LineItemsExport'
import { canDownloadCsv, useHistoryStore } from '../state'

const SEARCH_PAUSE_MS = 300

/** The History filters: search, status, dates (the shop's days), network, token; and the CSV of what they select. */
export function HistoryFilters() {
  const t = useOwnerT()
  const filter = useHistoryStore((s) => s.filter)
  const applied = useHistoryStore((s) => s.applied)
  const setFilter = useHistoryStore((s) => s.setFilter)
  const resetFilter = useHistoryStore((s) => s.resetFilter)
  const exportToFile = useHistoryStore((s) => s.exportToFile)
  const [exportNote, setExportNote] = useState<string | null>(null)
  const livemode = useAppStore((s) => s.settings?.livemode ?? false)
  const chains = useShopStore((s) => s.chains)

  // This mode's networks (live sells on mainnets, test on testnets), and the one already chosen.
  const networks = useMemo(
    () => chains.filter((c) => (c.enabled && c.testnet !== livemode) || c.chain_id === filter.chainId),
    [chains, livemode, filter.chainId],
  )
  const tokens = useMemo(() => {
    const from = filter.chainId === null ? networks : networks.filter((c) => c.chain_id === filter.chainId)
    const symbols = new Set(from.flatMap((c) => c.tokens.filter((tk) => tk.enabled || tk.symbol === filter.token).map((tk) => tk.symbol)))
    if (filter.token) symbols.add(filter.token)
    return [...symbols].sort()
  }, [networks, filter.chainId, filter.token])

  // Typing is local; the list is asked once the owner pauses (or presses Enter).
  const [search, setSearch] = useState(filter.search)
  // The filter changed elsewhere (cleared, or a link): the box shows it. Adjusted while rendering, not in an effect.
  const [shownFilter, setShownFilter] = useState(filter.search)
  if (shownFilter !== filter.search) {
    setShownFilter(filter.search)
    setSearch(filter.search)
  }
  useEffect(() => {
    if (search === filter.search) return
    const timer = setTimeout(() => setFilter({ search }), SEARCH_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [search, filter.search, setFilter])

  const isFiltered = JSON.stringify(filter) !== JSON.stringify(EMPTY_FILTER)
  const downloadable = canDownloadCsv()

  return (
    <form
      className="owner-filters"
      role="search"
      aria-label={t('history.filters')}
      onSubmit={(e) => (e.preventDefault(), setFilter({ search }))}
    >
      <label className="owner-field owner-field-search">
        <span className="field-label">{t('history.search')}</span>
        <input
          className="input"
          type="search"
          value={search}
          placeholder={t('history.searchPlaceholder')}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="history-search"
          spellCheck={false}
          autoComplete="off"
        />
      </label>
      <label className="owner-field">
        <span className="field-label">{t('history.status')}</span>
        <select
          className="input"
          value={filter.status}
          onChange={(e) => setFilter({ status: e.target.value as SessionStatus | '' })}
          data-testid="filter-status"
        >
          <option value="">{t('history.status.all')}</option>
          {SESSION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="owner-field">
        <span className="field-label">{t('history.date')}</span>
        <select
          className="input"
          value={filter.preset}
          onChange={(e) => setFilter({ preset: e.target.value as DatePreset })}
          data-testid="filter-date"
        >
          {DATE_PRESETS.map((preset) => (
            <option key={preset} value={preset}>
              {t(`history.date.${preset}`)}
            </option>
          ))}
        </select>
      </label>
      {filter.preset === 'custom' ? (
        <>
          <label className="owner-field">
            <span className="field-label">{t('history.date.from')}</span>
            <input
              className="input"
              type="date"
              value={filter.from}
              max={filter.to || undefined}
              onChange={(e) => setFilter({ from: e.target.value })}
              data-testid="filter-from"
            />
          </label>
          <label className="owner-field">
            <span className="field-label">{t('history.date.to')}</span>
            <input
              className="input"
              type="date"
              value={filter.to}
              min={filter.from || undefined}
              onChange={(e) => setFilter({ to: e.target.value })}
              data-testid="filter-to"
            />
          </label>
        </>
      ) : null}
      <label className="owner-field">
        <span className="field-label">{t('history.network')}</span>
        <select
          className="input"
          value={filter.chainId ?? ''}
          onChange={(e) => setFilter({ chainId: e.target.value === '' ? null : Number(e.target.value), token: '' })}
          data-testid="filter-network"
        >
          <option value="">{t('history.network.all')}</option>
          {networks.map((c) => (
            <option key={c.chain_id} value={c.chain_id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="owner-field">
        <span className="field-label">{t('history.token')}</span>
        <select className="input" value={filter.token} onChange={(e) => setFilter({ token: e.target.value })} data-testid="filter-token">
          <option value="">{t('history.token.all')}</option>
          {tokens.map((symbol) => (
            <option key={symbol} value={symbol}>
              {symbol}
            </option>
          ))}
        </select>
      </label>
      <div className="owner-filter-actions">
        {isFiltered ? (
          <button type="button" className="btn btn-ghost" onClick={() => (setSearch(''), resetFilter())} data-testid="filter-clear">
            {t('history.clear')}
          </button>
        ) : null}
        {downloadable ? (
          // A plain link: the browser streams the file to disk, so even a million rows never sit in this page.
          <a
            className="btn btn-secondary owner-export"
            href={exportHref(applied)}
            download
            onClick={(event) => {
              event.preventDefault()
              void download(exportHref(applied))
            }}
            title={t('history.exportHelp')}
            data-testid="export-csv"
          >
            ⤓ {t('history.export')}
          </a>
        ) : (
          <button
            type="button"
            className="btn btn-secondary"
            title={t('history.exportHelp')}
            data-testid="export-csv"
            onClick={() => {
              setExportNote(null)
              exportToFile().then(
                (result) => setExportNote(result.saved ? t('history.exportSaved', { n: result.rows }) : null),
                (error: unknown) => setExportNote(error instanceof Error ? error.message : String(error)),
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
        <LineItemsExport />
      </div>
    </form>
  )
}
