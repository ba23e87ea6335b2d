/**
 * Payments: crediting on-chain transfers to payment sessions (matching,
 * exceptions, remainders, confirmations, reorgs). Domain logic over Sessions;
 * the chain watcher feeds it observations.
 */
export { Payments } from './payments'
export { normalize } from './credit'
export type { TransferRow, TransferListFilter } from './transfers'
export type { ObservedTransfer, ChainObservation, CanonicalProofRequest, ObservationResult, CanonicalHashes, PaymentsDeps } from './types'
