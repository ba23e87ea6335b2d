import { useEffect, useState } from 'react'
import { Tabs } from '../components'
import { useOwnerT } from '../i18n'
import { startOwnerFeed, useDetailStore, useHistoryStore, useSaleRefundsStore, useTotalsStore, useTransfersStore } from '../state'
import { HistoryFilters } from './Filters'
import { RefundsView } from './RefundsView'
import { SessionDrawer } from './SessionDrawer'
import { SessionTable } from './SessionTable'
import { TotalsBar } from './TotalsBar'
import { TransfersView } from './TransfersView'

type HistoryTab = 'sales' | 'transactions' | 'unmatched' | 'refunds'

/**
 * The owner's History: sales (filtered, with totals that stay in view),
 * on-chain transactions, and transfers no sale claimed. A row opens the
 * sale's detail drawer.
 */
export function HistoryScreen() {
  const t = useOwnerT()
  const [tab, setTab] = useState<HistoryTab>('sales')
  const detailId = useDetailStore((s) => s.id)
  const unmatchedCount = useTransfersStore((s) => (s.unmatched.loaded ? s.unmatched.rows.length : 0))

  // The reversal banner links here as #/history?session=ID: open that sale, then drop the id from the address
  // (without a hashchange), so the same link opens it again after the drawer is closed.
  // The cashier's "refund it from History" adds &refund=new (the refund form open) or &refund=re_… (that refund).
  useEffect(() => {
    const openFromAddress = () => {
      const params = new URLSearchParams(window.location.hash.split('?')[1] ?? '')
      const id = params.get('session')
      if (!id) return
      setTab('sales')
      const refund = params.get('refund')
      if (refund) useSaleRefundsStore.getState().focus(id, refund === 'new' ? { form: true } : { refundId: refund })
      void useDetailStore.getState().open(id)
      window.history.replaceState(null, '', '#/history')
    }
    openFromAddress()
    window.addEventListener('hashchange', openFromAddress)
    return () => window.removeEventListener('hashchange', openFromAddress)
  }, [])

  useEffect(() => {
    startOwnerFeed()
    if (!useTransfersStore.getState().unmatched.loaded) void useTransfersStore.getState().load('unmatched')
  }, [])

  return (
    <div className="owner owner-history" data-testid="history">
      <header className="owner-head">
        <h1>{t('history.title')}</h1>
        <Tabs<HistoryTab>
          label={t('history.tabs')}
          value={tab}
          onChange={setTab}
          tabs={[
            { id: 'sales', label: t('history.tab.sales') },
            { id: 'transactions', label: t('history.tab.transactions') },
            { id: 'unmatched', label: t('history.tab.unmatched'), badge: unmatchedCount },
            { id: 'refunds', label: t('history.tab.refunds') },
          ]}
        />
      </header>
      <div className="owner-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'sales' ? (
          <SalesView />
        ) : tab === 'refunds' ? (
          <RefundsView />
        ) : (
          <TransfersView view={tab === 'transactions' ? 'all' : 'unmatched'} />
        )}
      </div>
      {detailId ? <SessionDrawer /> : null}
    </div>
  )
}

function SalesView() {
  const loaded = useHistoryStore((s) => s.loaded)
  const reload = useHistoryStore((s) => s.reload)
  const applied = useHistoryStore((s) => s.applied)
  const loadTotals = useTotalsStore((s) => s.load)

  useEffect(() => {
    if (!loaded) void reload()
  }, [loaded, reload])

  // The totals follow the list's filter, asked once per filter and after its first page, so on a big shop
  // the rows come first (further pages do not ask again: the set is the same).
  const listLoaded = useHistoryStore((s) => s.loaded && !s.loading)
  useEffect(() => {
    if (listLoaded && useTotalsStore.getState().filter !== applied) void loadTotals(applied)
  }, [applied, listLoaded, loadTotals])

  return (
    <>
      <HistoryFilters />
      <TotalsBar />
      <SessionTable />
    </>
  )
}
