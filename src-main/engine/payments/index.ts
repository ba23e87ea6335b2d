/**
 * Payments: crediting on-chain transfers to payment sessions (matching,
 * exceptions, remainders, confirmations, reorgs). Domain logic over Sessions;
 * the chain watcher feeds it observations.
 */
export { Payments, normalize, confirmationsAt, toTransfer } from './service'
export type { PaymentsDeps, TransferRow, TransferListFilter } from './service'
export type { ObservedTransfer, ChainObservation, CanonicalProofRequest, ObservationResult, CanonicalHashes } from './types'
