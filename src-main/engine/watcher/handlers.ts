import { createWalletClient, encodeFunctionData, http, parseAbi } from 'viem'
import type { Address, Hex } from 'viem'
import type { Engine } from '..'
import { conflict, invalid } from '../errors'
import type { ObservedTransfer } from '../payments'
import { decodeTransfer } from './erc20'
import type { RawLog } from './rpc'
import type { HandlerRegistry } from '../handlers'
import { uiScope } from '../handlers'
import type { ChainWatchers } from './watchers'

/** anvil's chain id: "simulate payment" exists only on a local dev chain, never on a real network. */
export const DEVNET_CHAIN_ID = 31337

const erc20Transfer = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])

/** Registers chains:state, transfers:list, transfers:assign, sessions:simulate-payment and refunds:prove. */
export function registerWatcherHandlers(registry: HandlerRegistry, engine: Engine, watchers: ChainWatchers): void {
  registry.register('chains:state', () => watchers.states())

  registry.register('transfers:list', (input) => {
    const scope = uiScope(engine)
    return watchers.payments.list(scope, { unmatched: input.unmatched, limit: input.limit, before: input.before })
  })

  registry.register('transfers:assign', async (input) => {
    const scope = uiScope(engine)
    const { seq, proofsNeeded } = watchers.payments.assign(input, scope)
    // Fully paid and deep enough already: prove its block is still canonical, then it completes.
    if (proofsNeeded.length > 0) await watchers.prove(proofsNeeded)
    return engine.sessions.toObject(engine.sessions.rowBySeq(seq)!)
  })

  registry.register('refunds:prove', async ({ id, tx_hash }) => {
    const scope = uiScope(engine)
    const refund = engine.refunds.get(id, scope)
    const watcher = watchers.watcher(refund.chain_id)
    if (!watcher)
      throw conflict('chain_unavailable', `${refund.network} is not being watched; enable it in Settings → Networks first`, 'id')
    const hash = tx_hash.toLowerCase()
    // Never trusted blindly: the chain's own receipt must show the transfer.
    const receipt = await watcher.rpc.request<{ status?: string; logs?: RawLog[] } | null>('eth_getTransactionReceipt', [hash])
    if (!receipt)
      throw invalid('refund_proof_not_found', `no transaction ${hash} on ${refund.network} (not mined, or another network)`, 'tx_hash')
    if (receipt.status !== undefined && BigInt(receipt.status) !== 1n)
      throw conflict('refund_proof_mismatch', `transaction ${hash} failed on chain; it moved no tokens`, 'tx_hash')
    const decoded = (receipt.logs ?? [])
      .map((log) => decodeTransfer(refund.chain_id, log))
      .filter((t): t is Omit<ObservedTransfer, 'blockTimestamp'> => t !== null)
    const sameToken = decoded.filter((t) => t.tokenAddress.toLowerCase() === refund.token_address.toLowerCase())
    const exact = sameToken.find(
      (t) => t.to.toLowerCase() === refund.destination.toLowerCase() && t.amount.toString() === refund.amount_base_units,
    )
    const chosen = exact ?? sameToken[0] ?? decoded[0]
    if (!chosen) throw conflict('refund_proof_mismatch', `transaction ${hash} transfers no tokens`, 'tx_hash')
    const [block, latest] = await Promise.all([watcher.rpc.block(chosen.blockNumber), watcher.rpc.block('latest')])
    if (!block || !latest || block.hash !== chosen.blockHash)
      throw conflict(
        'refund_proof_mismatch',
        `transaction ${hash} is not in the chain right now (a reorganisation?); try again in a minute`,
        'tx_hash',
      )
    return engine.refunds.applyProof(
      id,
      scope,
      { ...chosen, blockTimestamp: block.timestamp, head: latest.number },
      new Map([[block.number, block.hash]]),
    )
  })

  registry.register('sessions:simulate-payment', async (input) => {
    const scope = uiScope(engine)
    if (scope.livemode) throw conflict('simulation_unavailable', 'Payments can only be simulated in test mode.')
    const { kind } = input
    const row = engine.sessions.scopedRow(input.id, scope)
    const options = engine.sessions.options(row.seq)
    // After an underpayment the customer pays what remains: the remainder's reserved amount.
    const remainder = engine.sessions.toObject(row).remainder_option
    const option =
      (remainder && options.find((o) => o.kind === 'remainder' && o.amount === remainder.amount_base_units)) ??
      options.find((o) => o.kind === 'payment')
    if (!option || option.chain_id !== DEVNET_CHAIN_ID)
      throw conflict('simulation_unavailable', `Payments can only be simulated on the local dev chain (${DEVNET_CHAIN_ID}).`)
    const chain = engine.networks.find(DEVNET_CHAIN_ID)
    const rpcUrl = chain?.rpc_urls[0]
    if (!chain?.enabled || !rpcUrl) throw conflict('simulation_unavailable', 'The local dev chain is not configured.')
    const amount = simulatedAmount(BigInt(option.amount), kind)
    // anvil's dev accounts are unlocked on the node: eth_sendTransaction, no key in this app.
    const wallet = createWalletClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 10_000 }) })
    const accounts = await wallet.getAddresses()
    const payer = accounts[1]
    if (!payer) throw conflict('simulation_unavailable', 'The dev chain has no unlocked account #1 to pay from.')
    const data: Hex = encodeFunctionData({ abi: erc20Transfer, functionName: 'transfer', args: [option.address as Address, amount] })
    // Never retried: a retried send whose first attempt landed would pay twice.
    const hash = await wallet.sendTransaction({ account: payer, to: option.token_address as Address, data, chain: null })
    void watchers.pollNow(DEVNET_CHAIN_ID)
    return { tx_hash: hash }
  })
}

/** exact: the reserved amount; under: half of it; over: 10 % more (at least one base unit). */
export function simulatedAmount(amount: bigint, kind: 'exact' | 'under' | 'over'): bigint {
  if (kind === 'under') return amount / 2n > 0n ? amount / 2n : 0n
  if (kind === 'over') return amount + (amount / 10n > 0n ? amount / 10n : 1n)
  return amount
}
