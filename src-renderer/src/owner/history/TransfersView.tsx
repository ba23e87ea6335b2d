import { useCallback, useEffect, useState } from 'react'
import type { ChainConfig, Transfer } from '../../../../src-preload/contract'
import { NetworkName } from '../../components'
import { baseUnitsToDecimal, formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { ExplorerLink, shortHash, ToneChip, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import type { TransferView } from '../state'
import { transferKey, useDetailStore, useTransfersStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { AssignDialog } from './AssignDialog'
import { usePagedRows } from './usePagedRows'

/** The token amount of a transfer, with its decimals from the network's token list. */
export function transferAmount(transfer: Transfer, chain: ChainConfig | undefined, language: ReturnType<typeof useLanguage>): string {
  const token = chain?.tokens.find(
    (tk) => tk.address.toLowerCase() === transfer.token_address.toLowerCase() || tk.symbol === transfer.token,
  )
  return token
    ? formatToken(baseUnitsToDecimal(transfer.amount_base_units, token.decimals), transfer.token, language)
    : `${transfer.amount_base_units} ${transfer.token}`
}

/** On-chain transactions (every transfer to the shop), or only the unmatched ones, each assignable to a sale. */
export function TransfersView({ view }: { view: TransferView }) {
  const t = useOwnerT()
  const language = useLanguage()
  const list = useTransfersStore((s) => s[view])
  const load = useTransfersStore((s) => s.load)
  const loadMore = useTransfersStore((s) => s.loadMore)
  const openSale = useDetailStore((s) => s.open)
  const chains = useChainsById()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const [assigning, setAssigning] = useState<Transfer | null>(null)

  useEffect(() => {
    void load(view)
  }, [view, load])

  const nextPage = useCallback(() => void loadMore(view), [loadMore, view])
  const { scrollRef, virtualizer, items } = usePagedRows({
    rows: list.rows.length,
    trailingRow: list.hasMore,
    canLoadMore: list.hasMore && !list.loading,
    loadMore: nextPage,
    prefetchRows: 40,
  })

  return (
    <>
      {view === 'unmatched' ? <p className="help owner-intro">{t('transfers.unmatchedHelp')}</p> : null}
      <div
        className="owner-table owner-transfers"
        role="table"
        aria-label={t(view === 'all' ? 'transfers.table' : 'transfers.unmatchedTable')}
        data-testid={`transfers-${view}`}
      >
        <div className="owner-row owner-row-head" role="row">
          <span role="columnheader">{t('transfers.col.time')}</span>
          <span role="columnheader" className="num">
            {t('transfers.col.amount')}
          </span>
          <span role="columnheader">{t('transfers.col.from')}</span>
          <span role="columnheader">{t('transfers.col.sale')}</span>
          <span role="columnheader">{t('transfers.col.state')}</span>
          <span role="columnheader">{t('transfers.col.tx')}</span>
        </div>
        <div className="owner-scroll" ref={scrollRef}>
          {list.error ? (
            <p className="notice notice-bad owner-table-note" role="alert">
              {list.error}
            </p>
          ) : !list.loaded ? (
            <p className="muted owner-table-note">{t('history.loading')}</p>
          ) : list.rows.length === 0 ? (
            <p className="muted owner-table-note">{t(view === 'all' ? 'transfers.empty' : 'transfers.emptyUnmatched')}</p>
          ) : (
            <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const transfer = list.rows[item.index]
                const style = { transform: `translateY(${item.start}px)` }
                if (!transfer)
                  return (
                    <div key="more" className="owner-row owner-virtual" style={style} role="row">
                      <span role="cell" className="muted">
                        {t('history.loadingMore')}
                      </span>
                    </div>
                  )
                const chain = chains.get(transfer.chain_id)
                const tone = transfer.state === 'confirmed' ? 'ok' : transfer.state === 'pending' ? 'info' : 'bad'
                return (
                  <div
                    key={transferKey(transfer)}
                    className="owner-row owner-row-body owner-virtual"
                    style={style}
                    role="row"
                    data-testid="transfer-row"
                    data-tx-hash={transfer.tx_hash}
                  >
                    <span role="cell">{formatShortDateTime(transfer.block_timestamp, zone, language)}</span>
                    <span role="cell" className="num owner-cell-token">
                      <span className="owner-token">{transferAmount(transfer, chain, language)}</span>
                      <NetworkName name={chain?.name ?? `#${transfer.chain_id}`} color={chain?.color ?? '#888'} className="owner-network" />
                    </span>
                    <span role="cell" className="mono" title={transfer.from}>
                      {shortHash(transfer.from)}
                    </span>
                    <span role="cell">
                      {transfer.session_id ? (
                        <button
                          type="button"
                          className="btn btn-ghost owner-link-button"
                          onClick={() => void openSale(transfer.session_id!)}
                        >
                          {t('transfers.openSale')}
                        </button>
                      ) : transfer.state !== 'orphaned' ? (
                        <button
                          type="button"
                          className="btn btn-secondary owner-link-button"
                          onClick={() => setAssigning(transfer)}
                          data-testid="transfer-assign"
                        >
                          {t('transfers.assign')}
                        </button>
                      ) : (
                        <span className="muted">{t('transfers.noSale')}</span>
                      )}
                    </span>
                    <span role="cell">
                      <ToneChip tone={tone} label={t(`history.detail.txState.${transfer.state}`)} />
                    </span>
                    <span role="cell">
                      <ExplorerLink chain={chain} txHash={transfer.tx_hash} />
                    </span>
                  </div>
                )
              })}
            </div>
          )}
        </div>
      </div>
      {assigning ? <AssignDialog transfer={assigning} onClose={() => setAssigning(null)} /> : null}
    </>
  )
}
