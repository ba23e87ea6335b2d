// The receive module: where a sale's money should go and how the
// customer's wallet is told (EIP-681 QR payload).
export { buildPaymentUri, parsePaymentUri } from './payment-uri'
export type { PaymentRequest, ParsedPaymentUri } from './payment-uri'
export { parseXpub, deriveAddress, EXPECTED_DEPTH, MAX_CHILD_INDEX } from './xpub'
export type { XpubResult } from './xpub'
export { checkWallet, requireWallet, setWalletProbe } from './wallet'
export type { WalletReport, WalletRpc, WalletProbe } from './wallet'
