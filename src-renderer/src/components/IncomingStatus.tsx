import type { PendingTx, PendingTxDropped } from '../../../src-preload/contract'
import type { StringKey } from '../i18n'
import { useT } from '../i18n'
import { shortHash } from '../state/incoming'
import { StatusChip } from './StatusChip'

/**
 * "Payment sent — waiting for the network", with the transaction's short
 * hash: the honest state between the customer's Send and the block. Its own
 * look (not the waiting chip, not the paid tick) so nobody takes it for paid.
 */
export function IncomingStatus({ tx, large = false }: { tx: PendingTx; large?: boolean }) {
  const t = useT()
  return (
    <div className="incoming" data-testid="incoming" data-tx-hash={tx.hash}>
      <StatusChip tone="info" large={large}>
        {t('cashier.incoming')}
      </StatusChip>
      <p className="incoming-tx mono" title={tx.hash}>
        {t('cashier.incomingTx', { tx: shortHash(tx.hash) })}
      </p>
    </div>
  )
}

const LOST: Record<PendingTxDropped['reason'], StringKey> = {
  dropped: 'cashier.incomingDropped',
  replaced: 'cashier.incomingReplaced',
  timeout: 'cashier.incomingTimeout',
  failed: 'cashier.incomingFailed',
}

/** The short note after a pending payment went away without paying (the sale is waiting again). */
export function IncomingLostNote({ lost }: { lost: PendingTxDropped }) {
  const t = useT()
  return (
    <p className="notice notice-warn incoming-lost" data-testid="incoming-lost" data-reason={lost.reason} role="status">
      {t(LOST[lost.reason], { tx: shortHash(lost.hash) })}
    </p>
  )
}
