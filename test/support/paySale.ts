import type { PaymentSession } from '../../src-preload/contract'
import type { Engine } from '../../src-main/engine'
import { nowSeconds } from '../../src-main/engine'
import { Payments } from '../../src-main/engine/payments'

let counter = 0

/**
 * Pays a sale's first option in full, as the watcher would report the block
 * (the transfer seen, its block canonical, deep enough), without a chain.
 * Returns the transaction hash.
 */
export function paySale(engine: Engine, session: PaymentSession, from = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'): string {
  const option = session.payment_options[0]!
  counter++
  const txHash = `0x${'c'.repeat(8)}${counter.toString(16).padStart(56, '0')}`
  const blockHash = `0x${'b'.repeat(8)}${counter.toString(16).padStart(56, '0')}`
  const blockNumber = 100 + counter
  new Payments({ db: engine.db, clock: engine.clock, events: engine.events, sessions: engine.sessions }).observe({
    chainId: option.chain_id,
    head: blockNumber + 50,
    transfers: [
      {
        chainId: option.chain_id,
        txHash,
        logIndex: 0,
        tokenAddress: option.token_address,
        from,
        to: option.address,
        amount: BigInt(option.amount_base_units),
        blockNumber,
        blockHash,
        blockTimestamp: nowSeconds(engine.clock),
      },
    ],
    canonical: new Map([[blockNumber, blockHash]]),
  })
  return txHash
}
