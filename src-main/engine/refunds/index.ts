/**
 * Refunds (#11): the money goes back, paid by the owner from the shop's
 * wallet (the app holds no keys), verified on-chain by the watcher.
 */
export { Refunds, REFUND_TTL_SECONDS } from './refunds'
export type { RefundsDeps, CreateRefundArgs, RefundObservation, ProvenTransfer } from './refunds'
export { refundableAmounts, refundableOf, refundableStatus } from './refundable'
export { toRefund, listRefunds, refundFilterSql, isShopAddress, refundRowBySeq, scopedRefund } from './read'
export type { RefundRow, ShownRefundRow } from './read'
