/**
 * The one contract between the renderer and the engine.
 *
 * Types and `as const` constants only: this file is compiled into the renderer
 * (tsconfig.web.json), the preload and the main process. Main-side handler
 * types and renderer-side client types are *derived* from `Contract` below,
 * never written twice. In Electron the transport is IPC through the preload;
 * in serve mode it is HTTP + server-sent events to the same handlers.
 *
 * Objects use the REST API's snake_case shapes (a webhook's `data.object` is
 * exactly what `GET /v1/...` returns), so the UI, the API and the back office
 * all read one shape.
 */

import type { ErrorCode } from './shared/errorCodes'

// ---------------------------------------------------------------- shared constants

/**
 * Supported price currencies and their ISO 4217 minor-unit exponents. Data,
 * not a display hint: the exponent decides how many decimals an integrator may
 * send and how an amount is stored, and the keypad accepts exactly as many
 * (JPY none, KWD three). IDR is 2 per ISO even though cash has no cents.
 */
export const CURRENCY_DECIMALS = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  CAD: 2,
  JPY: 0,
  HKD: 2,
  SGD: 2,
  IDR: 2,
  PHP: 2,
  VND: 0,
  THB: 2,
  MYR: 2,
  MXN: 2,
  BRL: 2,
  AED: 2,
  SAR: 2,
  QAR: 2,
  KWD: 3,
  OMR: 3,
  BHD: 3,
  KRW: 0,
  CNY: 2,
} as const
export type CurrencyCode = keyof typeof CURRENCY_DECIMALS

/** What a webhook endpoint can subscribe to (`*` is all of them). */
export const WEBHOOK_EVENT_TYPES = [
  'payment.processing',
  'payment.completed',
  'payment.expired',
  'payment.cancelled',
  'payment.failed',
  'refund.succeeded',
  'refund.failed',
  // A chain reorganisation took back the payment of a COMPLETED sale (it stays COMPLETED, flagged `reversed`).
  'payment.reversed',
  // The shop's details changed (its receiving address above all): data.object is the Merchant (#13).
  'merchant.updated',
  // A cashier closed a shift (#17): data.object is the shift's EndOfDayReport.
  'report.closed',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

// ---------------------------------------------------------------- domain shapes

export const SESSION_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'EXPIRED', 'CANCELLED'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]

export const SESSION_EXCEPTIONS = [
  'underpaid',
  'overpaid',
  'paid_late',
  'paid_after_cancel',
  'multiple_payments',
  'duplicate_order_payment',
  // COMPLETED, but a reorg deeper than the confirmations took its payment back: not revenue until the transfer returns.
  'reversed',
] as const
export type SessionException = (typeof SESSION_EXCEPTIONS)[number]

export interface PaymentOption {
  chain_id: number
  network: string
  token: string
  token_address: string
  decimals: number
  address: string
  /** Decimal token string as the wallet shows it, e.g. "25.500001". */
  amount: string
  /** Integer string; tokens with 18 decimals overflow 64 bits. */
  amount_base_units: string
  /** EIP-681: ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<base units> */
  payment_uri: string
}

export type TransferState = 'pending' | 'confirmed' | 'orphaned'

export interface SessionTransaction {
  chain_id: number
  tx_hash: string
  log_index: number
  token: string
  token_address: string
  from: string
  to: string
  amount_base_units: string
  block_number: number
  block_timestamp: number
  confirmations: number
  state: TransferState
}

/** A payment seen in the transaction pool, not yet in a block: the customer pressed Send. */
export interface PendingTx {
  hash: string
  /** Unix seconds when the till first saw it. */
  seen_at: number
}

/**
 * Why a pending payment stopped counting before any block confirmed it: taken
 * out of the pool, replaced by another transaction with the same sender and
 * nonce, not mined in time, or mined but failed.
 */
export type PendingTxEnd = 'dropped' | 'replaced' | 'timeout' | 'failed'

export interface PendingTxDropped {
  hash: string
  reason: PendingTxEnd
  /** Unix seconds. */
  at: number
}

export interface PaymentSession {
  id: string
  object: 'payment_session'
  status: SessionStatus
  livemode: boolean
  merchant_id: string
  order_id: string
  amount: string
  currency: string
  metadata: Record<string, string>
  created_at: number
  expires_at: number
  /** USD per one unit of `currency`; null when priced in USD. */
  exchange_rate: string | null
  rate_locked_at: number | null
  /** The USD amount the stablecoin amount was computed from, e.g. "108.54". */
  amount_usd: string
  payment_options: PaymentOption[]
  /** After an underpayment: the remainder, with its own reserved amount and QR. */
  remainder_option: PaymentOption | null
  amount_paid_base_units: string
  amount_remaining_base_units: string
  confirmations: number
  required_confirmations: number
  transactions: SessionTransaction[]
  exceptions: SessionException[]
  completed_at: number | null
  /**
   * "Payment incoming": a transfer that pays this sale is waiting in the
   * transaction pool. Not a status (no webhook, nothing in totals); it clears
   * when the block moves the sale on, or when the transaction goes away.
   */
  pending_tx: PendingTx | null
  /** For a short while after a pending payment went away without paying: the screens say so. */
  pending_tx_dropped: PendingTxDropped | null
  /** The till (register) the sale was taken at, e.g. "till_1"; sales from the REST API are on Till 1. */
  till: string
  /**
   * What the cashier calls out (#15): "A-0042", the 42nd sale of the shop day at the till lettered A (till_1 is A,
   * till_2 B, …); null for sales made before order numbers. `order_id` stays as the caller gave it.
   */
  order_number: string | null
  /**
   * Receipts (#16): the public receipt page of a COMPLETED sale (`/receipt/:id`, no login), absolute on the
   * serve-mode or desktop API origin; null before completion or when no HTTP server runs.
   */
  receipt_url: string | null
  /** Refunds (#11): the succeeded refunds' total, a decimal token string in the session's paid token ("0" when none). */
  amount_refunded: string
  /** Ids (`re_…`) of this session's refunds, oldest first, whatever their status. */
  refunds: string[]
  /**
   * What the sale is made of (#12, #17), empty for a keypad sale. Amounts are decimal strings in `currency`;
   * when there are lines, `amount` = their sum − `discount_amount` + `tax_amount` + `shipping_amount` + `tip_amount`.
   */
  line_items: SessionLineItem[]
  tax_amount: string
  shipping_amount: string
  tip_amount: string
  discount_amount: string
  /** The customer-facing payment page (`/pay/:id`, no login), absolute on the same origin as receipt_url; null when no HTTP server runs. */
  payment_url: string | null
  /** Where the payment page sends the customer once paid, or after a cancelled or expired sale; null when not given. */
  success_url: string | null
  cancel_url: string | null
}

/** One line of a sale: `quantity` × `unit_amount` = `amount`, in the session's currency. */
export interface SessionLineItem {
  name: string
  description: string | null
  unit_amount: string
  quantity: number
  amount: string
  /** The catalog product it was sold from, if any. */
  product_id: string | null
}

// ---------------------------------------------------------------- refunds (#11)

export const REFUND_STATUSES = ['pending', 'processing', 'succeeded', 'canceled', 'failed'] as const
export type RefundStatus = (typeof REFUND_STATUSES)[number]

export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent', 'expired_uncaptured', 'other'] as const
export type RefundReason = (typeof REFUND_REASONS)[number]

/**
 * Money going back to a customer. The app holds no keys: the owner pays it
 * from the shop's wallet (scanning `payment_uri`), and the watcher proves it
 * on-chain, like a payment. Paid in the token and on the chain it was received.
 */
export interface Refund {
  id: string
  object: 'refund'
  livemode: boolean
  merchant_id: string
  session_id: string
  /** The merchant's idempotency key, unique per merchant. */
  refund_id: string
  /** Decimal token string, e.g. "2.50". */
  amount: string
  amount_base_units: string
  token: string
  token_address: string
  decimals: number
  chain_id: number
  network: string
  /** Checksummed address the refund goes to. */
  destination: string
  reason: RefundReason
  description: string | null
  metadata: Record<string, string>
  status: RefundStatus
  /** The outgoing transfer that pays it, once seen (processing/succeeded). */
  tx_hash: string | null
  /** The shop address it was paid from, once seen. */
  from: string | null
  confirmations: number
  required_confirmations: number
  /** EIP-681 for the owner's wallet: ethereum:<token>@<chainId>/transfer?address=<destination>&uint256=<base units> */
  payment_uri: string
  created_at: number
  expires_at: number
  succeeded_at: number | null
  /** Unix seconds of cancel or failure, else null. */
  ended_at: number | null
}

/** What can still be refunded of a session, per token received. */
export interface RefundableOption {
  chain_id: number
  network: string
  token: string
  token_address: string
  decimals: number
  received_base_units: string
  /** Open (pending/processing) and succeeded refunds: they count against what can be refunded. */
  refunded_base_units: string
  refundable_base_units: string
  /** Decimal token string of refundable_base_units. */
  refundable: string
  /** What the refund screen prefills: the overpaid excess for an overpaid sale, else everything refundable. */
  suggested: string
  /** The `from` of the newest payment in this token (a warning says it may be an exchange's), or null. */
  default_destination: string | null
}

export interface Refundable {
  session_id: string
  /** False when nothing was received (or all of it is refunded): no Refund button. */
  refundable: boolean
  options: RefundableOption[]
}

export interface CreateRefundInput {
  session_id: string
  /** Idempotency key; the screens make one up. */
  refund_id?: string
  /** Decimal token string. */
  amount: string
  /** Which received token to refund when the session received more than one (default: the one it was paid in). */
  chain_id?: number
  token?: string
  reason?: RefundReason
  destination?: string
  description?: string
  metadata?: Record<string, string>
}

export interface RefundFilter {
  session_id?: string
  status?: RefundStatus
  limit?: number
  starting_after?: string
}

export interface RefundPage {
  data: Refund[]
  has_more: boolean
  next_cursor: string | null
}

export interface TimelineEntry {
  at: number
  from_status: SessionStatus | null
  to_status: SessionStatus
  reason: string
}

/** A completed sale whose payment a reorg took back, not yet acknowledged by the owner (the alert on every screen). */
export interface ReversalAlert {
  session_id: string
  order_id: string
  amount: string
  currency: string
  /** Unix seconds. */
  reversed_at: number
}

export interface SessionPage {
  data: PaymentSession[]
  has_more: boolean
  next_cursor: string | null
}

export interface SessionFilter {
  status?: SessionStatus
  order_id?: string
  created_gte?: number
  created_lt?: number
  chain_id?: number
  token?: string
  /** Order id, session id, tx hash or address. */
  search?: string
  /** Only this till's sales ("till_1"). */
  till?: string
  limit?: number
  starting_after?: string
}

export interface DailyTotal {
  /** YYYY-MM-DD in the shop's time zone. */
  day: string
  token: string
  chain_id: number
  amount_base_units: string
  decimals: number
  currency: string
  amount_minor: string
  count: number
  /** Refunds (#11): the succeeded refunds of these sales, in the token (base units), gross being `amount_base_units`. */
  refunded_base_units: string
  /** The part of the price refunded, in the price currency's minor units; refunding only an overpayment's excess is 0 here. */
  refunded_minor: string
  /** amount_base_units − refunded_base_units. */
  net_base_units: string
  /** amount_minor − refunded_minor. */
  net_minor: string
  /** Tips (#17): the customers' tips inside amount_minor, in the price currency's minor units. */
  tip_minor: string
}

export interface Transfer extends SessionTransaction {
  session_id: string | null
}

export interface ReceiveSetup {
  mode: 'address' | 'xpub'
  address?: string
  xpub?: string
}

export interface Merchant {
  id: string
  name: string
  currency: string
  receive: ReceiveSetup
  session_ttl_seconds: number
  time_zone: string
  /** Receipts (#16): the shop's address as printed on receipts (lines separated by "\n"), or null. */
  address: string | null
}

export interface TokenConfig {
  symbol: string
  address: string
  decimals: number
  enabled: boolean
}

export interface ChainConfig {
  chain_id: number
  name: string
  testnet: boolean
  rpc_urls: string[]
  ws_urls: string[]
  confirmations: number
  poll_interval_ms: number | null
  block_time_ms: number
  explorer_url: string | null
  color: string
  enabled: boolean
  tokens: TokenConfig[]
}

export type ChainConnection = 'connecting' | 'online' | 'offline'

export interface ChainState {
  chain_id: number
  connection: ChainConnection
  head: number | null
  last_error: string | null
  updated_at: number
  /**
   * How the till sees payments before their block (detected once, when a sale
   * first opens on the chain): a WebSocket subscription, an HTTP filter, or not
   * offered by the RPC. Absent until then.
   */
  pending_feed?: PendingFeedKind
  /**
   * How far the till's clock is ahead of this chain's block times, in seconds
   * (negative: behind), measured on blocks as they arrive; null until one has
   * arrived. Beyond CLOCK_DRIFT_WARNING_SECONDS either way the cashier is told.
   * Payments are matched in chain time whatever it is.
   */
  clock_drift_seconds: number | null
}

/** Till clock vs chain time beyond which the cashier screen warns (2 minutes). */
export const CLOCK_DRIFT_WARNING_SECONDS = 120

export type PendingFeedKind = 'ws' | 'filter' | 'none'

export interface RateInfo {
  currency: string
  rate: string
  source: 'provider' | 'manual'
  as_of: number
  age_seconds: number
  stale: boolean
  /** Exchange rates that stay fresh (#14): */
  /** Unix s from which sales stop using this rate; null for a rate set by hand, which never goes stale. */
  stale_at: number | null
  /** A reference rate that goes stale within a day: the owner and the cashier are warned. */
  stale_soon: boolean
  /** The rate a sale in this currency would use right now (a hand-set rate wins; a stale one is not used). */
  active: boolean
}

export interface ApiKeyInfo {
  id: string
  merchant_id: string
  livemode: boolean
  /** e.g. "sk_test_…a1b2": enough to recognise, never enough to use. */
  hint: string
  created_at: number
  revoked_at: number | null
  /** Signed requests (#12): whether the key has an API secret (shown once, when made), and since when. */
  has_secret: boolean
  secret_created_at: number | null
  /** Unsigned requests with this key are refused (both dialects). */
  signed_only: boolean
}

export interface WebhookEndpoint {
  id: string
  merchant_id: string
  url: string
  events: string[]
  enabled: boolean
  created_at: number
}

export interface WebhookDelivery {
  id: string
  event_id: string
  event_type: string
  endpoint_id: string
  session_id: string | null
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: number | null
  last_status: number | null
  last_error: string | null
  created_at: number
}

export interface WebhookAttempt {
  delivery_id: string
  at: number
  status: number | null
  duration_ms: number
  error: string | null
  response_snippet: string | null
}

export interface AppSettings {
  language: 'en' | 'zh-CN'
  /** The cashier sells on mainnets (live) or testnets (test), like an API key's mode. */
  livemode: boolean
  /** Cashier screen returns to a new sale by itself after this many seconds. */
  auto_new_sale_seconds: number
  /** A sale above this amount (a decimal in the shop's currency) asks the cashier to confirm first; "0": never asks (#15). */
  confirm_amount_above: string
  /** A payment this long after a sale expired still completes it, flagged paid late (#15); default 24 hours. */
  late_window_seconds: number
  /** The short chime when a sale is paid (#15). */
  sound_on_paid: boolean
  /** The screens' colours: the system's choice, or always light or dark (#15). */
  theme: 'system' | 'light' | 'dark'
  /** Receipts (#16): the paper the receipt is laid out for. */
  receipt_layout: ReceiptLayout
  /** Receipts (#16): print the receipt by itself when a sale is paid. */
  receipt_auto_print: boolean
  /** Receipts (#16), desktop: the printer receipts go to silently; null is the system's default printer. */
  receipt_printer: string | null
  /**
   * Desktop (#16): the cashier window in kiosk mode (full screen, no way out to the desktop), switched in
   * Settings by the owner. `--kiosk` / STABLEPAY_KIOSK=1 in the shortcut forces it on whatever this says.
   */
  kiosk: boolean
  /** Tips (#17): the customer display offers a tip before the QR. */
  tips_enabled: boolean
  /** Tips (#17): the three whole percentages offered, e.g. [10, 15, 20]. */
  tip_percentages: number[]
  /** Tips (#17): the customer may type an amount of their own. */
  tip_custom: boolean
  /** Catalog (#17): product prices hold their tax (included) or tax is added at the till. */
  tax_mode: TaxMode
}

export interface AppInfo {
  version: string
  /** False until the first-run wizard has stored a merchant. */
  configured: boolean
  merchant_id: string | null
  /** True when a local dev chain (31337) is configured: "simulate payment" is offered. */
  devnet: boolean
  /** The folder holding the app's log files (what "see the log" means), or null when it writes none. */
  log_dir: string | null
}

/** A checked copy of the shop's database. */
export interface BackupInfo {
  file: string
  /** When it was taken, unix seconds. */
  at: number
  bytes: number
}

/** What the owner sees of backups, and their choices. */
export interface BackupState {
  /** The data folder's `backups/`. */
  dir: string
  /** A second folder every copy also goes to (a USB stick, a synced folder), or null. */
  copy_to: string | null
  /** The daily backup's time, "HH:MM" in the shop's time zone. */
  daily_at: string
  /** The newest good copy. */
  last: BackupInfo | null
  /** No good copy newer than 2 days: the owner is warned. */
  stale: boolean
  /** Newest first: the last 14 days' and 12 months' copies. */
  backups: BackupInfo[]
  /** Why the last backup (or its second copy) failed, or null. */
  last_error: string | null
  running: boolean
}

// ---------------------------------------------------------------- receipts (#16)

/** 58 mm and 80 mm thermal rolls, or an A4 sheet. */
export const RECEIPT_LAYOUTS = ['58mm', '80mm', 'a4'] as const
export type ReceiptLayout = (typeof RECEIPT_LAYOUTS)[number]

/**
 * What a receipt says: only what the customer may see (no metadata, no order
 * reference, no addresses), so the same object backs the public page.
 * A refund receipt is the same shape with `kind: 'refund'`, its own `id`
 * (re_…) and the sale it refunds in `sale_id`.
 */
export interface Receipt {
  kind: 'sale' | 'refund'
  /** ps_… for a sale, re_… for a refund. */
  id: string
  sale_id: string
  livemode: boolean
  shop_name: string
  shop_address: string | null
  /** The shop's language: the receipt is printed in it. */
  language: 'en' | 'zh-CN'
  /** The shop's time zone (IANA): `at` is shown in it. */
  time_zone: string
  /** Unix seconds: the sale completed (or the refund was sent). */
  at: number
  till: string | null
  /** The sale's order number ("A-0042", #15), printed large; null for sales made before order numbers. */
  order_number: string | null
  /** The price (or the refunded part of it), in `currency`. */
  amount: string
  currency: string
  /** USD per one unit of `currency` when converted, else null. */
  exchange_rate: string | null
  amount_usd: string
  /** Decimal token amount received (refund: sent back). */
  token_amount: string
  token: string
  decimals: number
  network: string
  chain_id: number
  tx_hash: string | null
  /** The transaction on the network's block explorer, or null when the network has none. */
  tx_url: string | null
  receipt_url: string | null
  /** Catalog and cart (#17): what was sold (a sale's line items; none for a keypad sale or a refund). */
  lines: ReceiptLine[]
  /** The sale's discount, tax and tip in `currency`, null when none (or on a refund). */
  discount_amount: string | null
  tax_amount: string | null
  tip_amount: string | null
}

/** One line of a receipt: "2 × 3.50  7.00". */
export interface ReceiptLine {
  name: string
  quantity: number
  unit_amount: string
  amount: string
}

export interface PrinterInfo {
  name: string
  is_default: boolean
}

// ---------------------------------------------------------------- owner role, PIN and audit log (#13)

/** The cashier takes sales; the owner does everything else, after the PIN. */
export type Role = 'cashier' | 'owner'

export interface OwnerStatus {
  /** What this device holds now. */
  role: Role
  /** False for a shop from before the PIN existed: owner actions stay open until one is set (see README). */
  pin_set: boolean
  /** Unix seconds until which wrong PINs have locked the PIN out; null when not locked. */
  locked_out_until: number | null
  /** Wrong PINs left before a lockout (5 after a right one): the PIN dialog says so after a wrong one. */
  tries_left: number
  /** Unix seconds when the owner role lapses without further owner actions; null in the cashier role. */
  expires_at: number | null
  /** False when the PIN was set from the config file: no recovery code exists until the owner sets the PIN here. */
  recovery_code_set: boolean
}

export interface PinSetResult {
  /** Shown once, never stored in plain text; null when the PIN was changed and the old code still holds. */
  recovery_code: string | null
  status: OwnerStatus
}

/** What an audit row records a change of. */
export const AUDIT_KINDS = [
  'receive',
  'merchant',
  'network',
  'api_key.created',
  'api_key.revoked',
  'api_key.updated',
  'webhook.created',
  'webhook.updated',
  'pin.set',
  'pin.changed',
  'pin.reset',
  // #15: a change of the app's settings (test or live mode, the counter's choices), key by key.
  'settings',
] as const
export type AuditKind = (typeof AUDIT_KINDS)[number]

/** One row of the append-only audit log: never a secret in it. */
export interface AuditEntry {
  id: string
  /** Unix seconds. */
  at: number
  /** The device that made the change; `config-file` for the config file applied at start. */
  device: string
  role: Role
  kind: AuditKind
  /** What was changed: a merchant id, chain id, API key id or webhook endpoint id. */
  subject: string | null
  /** The changed fields before and after (null: did not exist / nothing to show). */
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

export interface AuditFilter {
  kind?: AuditKind
  device?: string
  created_gte?: number
  created_lt?: number
  limit?: number
  /** An entry id: the page after it (newest first). */
  starting_after?: string
}

export interface AuditPage {
  data: AuditEntry[]
  has_more: boolean
  next_cursor: string | null
}

/** Shown on the cashier screen for 24 hours: the receiving side changed, so staff can tell a customer or the owner. */
export interface OwnerNotice {
  kind: 'receive_changed'
  at: number
  device: string
  before: ReceiveSetup | null
  after: ReceiveSetup
  /** Unix seconds when the notice goes. */
  until: number
}

/** The desktop app's REST API (Settings → API): off until the owner turns it on. */
export interface ApiServerState {
  /** False in serve mode: there the API is always on, at the address serve mode was started with (`url`). */
  available: boolean
  enabled: boolean
  port: number
  /** Listening for the shop's network too, not only this computer: plain HTTP, which the owner was warned about. */
  lan: boolean
  running: boolean
  /** Where a back office calls it (the REST API is under `${url}/v1`), while running. */
  url: string | null
  /** Why it is not running though turned on (the port is taken), or null. */
  error: string | null
}

// ---------------------------------------------------------------- tips, shifts, end-of-day report (#17)

/** One tip button on the customer display: the percentage, the tip it makes and what the customer then pays. */
export interface TipOption {
  percent: number
  /** Decimal string in the sale's currency: base × percent / 100, rounded half up to the currency's minor unit. */
  tip_amount: string
  /** base + tip. */
  amount: string
}

export const TIP_REQUEST_STATUSES = ['pending', 'answered', 'skipped', 'cancelled', 'failed'] as const
export type TipRequestStatus = (typeof TIP_REQUEST_STATUSES)[number]

/**
 * A charge waiting for the customer's tip (#17). The cashier pressed Charge; the customer display of that till
 * offers the tip; its answer (or the cashier's skip) makes the sale, with amount = base + tip and `tip_amount`.
 */
export interface TipRequest {
  id: string
  object: 'tip_request'
  till: string
  status: TipRequestStatus
  currency: string
  /** The price before the tip, decimal string. */
  base_amount: string
  options: TipOption[]
  custom_allowed: boolean
  /** The tip chosen (decimal string, "0.00" for no tip), once answered or skipped. */
  tip_amount: string | null
  /** The button chosen, null for a custom amount or no tip. */
  percent: number | null
  /** The sale made from it, once answered or skipped. */
  session_id: string | null
  /** Why the sale could not be made (status failed): the engine's error. */
  error: ContractError | null
  created_at: number
  answered_at: number | null
}

/** What the customer display answers: a button, an amount of their own, or no tip. */
export interface TipAnswer {
  id: string
  choice: 'percent' | 'custom' | 'none'
  percent?: number
  /** Decimal string in the sale's currency (choice custom). */
  amount?: string
}

/** A cashier's shift at a till, opened and closed at that till. */
export interface Shift {
  id: string
  object: 'shift'
  till: string
  till_name: string
  status: 'open' | 'closed'
  opened_at: number
  /** The device that opened it. */
  opened_by: string
  closed_at: number | null
  closed_by: string | null
}

/** Which end-of-day report: a till's day in the shop's time zone, or a shift. */
export interface EndOfDayQuery {
  /** Default: the caller's till. */
  till?: string
  /** YYYY-MM-DD in the shop's time zone; default today. */
  day?: string
  /** A shift's report instead of a day's. */
  shift_id?: string
}

/** Money of one price currency (decimal strings in it). */
export interface EndOfDayMoney {
  currency: string
  /** Paid sales counted (COMPLETED, not reversed). */
  sales: number
  /** What the counted sales asked for, tips and tax included. */
  gross: string
  tips: string
  tax: string
  /** The price part of refunds that succeeded in the period, of this till's sales. */
  refunds: string
  /** gross − refunds. */
  net: string
}

/** What arrived per network and token. */
export interface EndOfDayTokenLine {
  chain_id: number
  network: string
  token: string
  decimals: number
  currency: string
  sales: number
  /** Decimal token strings. */
  received: string
  refunded: string
  net: string
  /** Price currency decimal strings, as EndOfDayMoney. */
  gross: string
  tips: string
  tax: string
  refunds: string
}

/** Sold per product (from the sales' line items); a line without a product is listed by its name. */
export interface EndOfDayProductLine {
  product_id: string | null
  name: string
  currency: string
  quantity: number
  /** Decimal string: the lines' unit × quantity added up. */
  amount: string
}

export interface EndOfDayException {
  kind: 'underpaid' | 'unmatched' | 'reversed'
  session_id: string | null
  order_id: string | null
  /** The sale's price, or for an unmatched transfer the token amount. */
  amount: string | null
  currency: string | null
  token: string | null
  tx_hash: string | null
  /** Unix seconds: the sale's creation, or the transfer's block. */
  at: number
}

export interface EndOfDayReport {
  object: 'end_of_day_report'
  till: string
  till_name: string
  /** The day's report: its YYYY-MM-DD; a shift's: null. */
  day: string | null
  shift: Shift | null
  /** The period, unix seconds [from, to). Sales count by their creation in it, refunds by their success in it. */
  from: number
  to: number
  time_zone: string
  generated_at: number
  livemode: boolean
  totals: EndOfDayMoney[]
  by_token: EndOfDayTokenLine[]
  by_product: EndOfDayProductLine[]
  cancelled: number
  expired: number
  /** Needing attention: underpaid and reversed sales of the period, payments no sale claimed (any till). */
  exceptions: EndOfDayException[]
}

// ---------------------------------------------------------------- catalog and cart (#17)

/** Whether a product's price already holds its tax (VAT style) or tax is added at the till (sales-tax style). */
export const TAX_MODES = ['included', 'added'] as const
export type TaxMode = (typeof TAX_MODES)[number]

/** The sale screen's two ways of taking a sale, remembered per till. */
export const SALE_MODES = ['keypad', 'products'] as const
export type SaleMode = (typeof SALE_MODES)[number]

/** Image types a product picture may be (checked on its bytes, not only its name). */
export const PRODUCT_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
/** A product picture is a small tile: at most this many bytes, stored in the shop's database. */
export const PRODUCT_IMAGE_MAX_BYTES = 48 * 1024

/** Something the shop sells, priced in the shop's currency. */
export interface Product {
  id: string
  object: 'product'
  name: string
  /** The Chinese name shown when the screen is in Chinese; null: the name is shown. */
  name_zh: string | null
  /** Decimal string in `currency`, e.g. "3.50". */
  price: string
  currency: string
  /** The tab the product is under on the sale screen; null: "Other". */
  category: string | null
  /** The tile's colour, "#rrggbb", or null. */
  color: string | null
  /** A picture exists: read it with products:image (the list stays small with 2,000 products). */
  has_image: boolean
  /** Basis points: 825 is 8.25 %. */
  tax_rate_bp: number
  active: boolean
  created_at: number
  updated_at: number
}

export interface ProductInput {
  name: string
  name_zh?: string | null
  price: string
  category?: string | null
  color?: string | null
  /** A data URL (data:image/png;base64,…) of at most PRODUCT_IMAGE_MAX_BYTES bytes; null removes the picture. */
  image?: string | null
  tax_rate_bp?: number
  active?: boolean
}

export interface ProductImportResult {
  created: number
  updated: number
  /** When any row is wrong nothing is imported: each wrong row's line in the file and why. */
  errors: Array<{ line: number; message: string }>
}

// ---------------------------------------------------------------- requests

export interface CreateSaleInput {
  amount: string
  currency?: string
  order_id?: string
  chain_id?: number
  token?: string
  expires_in?: number
  /**
   * The till's own sales (#15): refuse with network_offline when every network the sale would be offered on is
   * offline right now (a QR nobody can see paid). Left out, a sale is made whatever the networks' state.
   */
  require_online?: boolean
  /** A cart sale's lines (#17), and the parts of `amount` that are not goods; see PaymentSession. */
  line_items?: LineItemInput[]
  tax_amount?: string
  shipping_amount?: string
  tip_amount?: string
  discount_amount?: string
  success_url?: string
  cancel_url?: string
}

/** A line of a new sale, as the till and the REST API send it. */
export interface LineItemInput {
  name: string
  description?: string
  /** Decimal string in the sale's currency, e.g. "3.50". */
  unit_amount: string
  quantity: number
  product_id?: string
}

// ---------------------------------------------------------------- tills and devices (#13)

/** A till (register): every device works at one, every sale records its till. */
export interface Till {
  id: string
  name: string
  created_at: number
}

/** What a device is for: a cashier's screen, or a customer display facing the counter. */
export type DeviceRoleHint = 'cashier' | 'display'

/** A browser (serve mode) or the desktop window, with its own session. */
export interface DeviceInfo {
  id: string
  name: string
  till: string
  till_name: string
  role_hint: DeviceRoleHint
  created_at: number
  last_seen_at: number
  /** The network address it last came from; null for the desktop window. */
  address: string | null
  revoked_at: number | null
}

/** The device asking, and how the till is reached: LAN addresses mean plain HTTP on the shop's network. */
export interface ThisDevice {
  device: DeviceInfo
  /** e.g. ["http://192.168.1.20:7420"] when serve mode listens beyond this machine; empty otherwise. */
  lan_origins: string[]
}

/** A one-time code for a new device (10 minutes, single use). */
export interface PairingCode {
  code: string
  till: string
  role_hint: DeviceRoleHint
  expires_at: number
  /** The address to open (the QR); null when the till is not on the LAN (the screen builds it from its own address). */
  url: string | null
}

export interface FirstRunInput {
  name: string
  currency: string
  receive: ReceiveSetup
  /** "chainId:SYMBOL" pairs to accept. */
  accept: string[]
  livemode: boolean
}

/**
 * Every request channel: `domain:verb`. Input `void` means no argument.
 * Add a channel here and both sides' types follow.
 */
export interface Contract {
  'app:info': { input: void; output: AppInfo }
  'setup:complete': { input: FirstRunInput; output: Merchant }
  /** never_used (#15): an 0x address with no transaction and no token balance on any network that answered: worth a second look. */
  'setup:preview-xpub': { input: { xpub: string }; output: { addresses: string[]; never_used?: boolean } }
  'settings:get': { input: void; output: AppSettings }
  'settings:update': { input: Partial<AppSettings>; output: AppSettings }
  'merchant:get': { input: void; output: Merchant }
  'merchant:update': { input: Partial<Omit<Merchant, 'id'>>; output: Merchant }
  'sessions:create': { input: CreateSaleInput; output: PaymentSession }
  'sessions:get': { input: { id: string }; output: PaymentSession }
  'sessions:list': { input: SessionFilter; output: SessionPage }
  'sessions:cancel': { input: { id: string }; output: PaymentSession }
  'sessions:timeline': { input: { id: string }; output: TimelineEntry[] }
  'sessions:totals': { input: SessionFilter; output: DailyTotal[] }
  /** Desktop: asks where to save, then streams the filtered set to that file. (A browser downloads /export/sessions.csv.) */
  'sessions:export-csv': { input: SessionFilter; output: { saved: boolean; rows: number } }
  'sessions:simulate-payment': {
    input: { id: string; kind: 'exact' | 'under' | 'over' }
    output: { tx_hash: string }
  }
  'transfers:list': { input: { unmatched?: boolean; limit?: number; before?: string }; output: Transfer[] }
  'transfers:assign': { input: { chain_id: number; tx_hash: string; log_index: number; session_id: string }; output: PaymentSession }
  'chains:list': { input: void; output: ChainConfig[] }
  'chains:update': { input: Partial<ChainConfig> & { chain_id: number }; output: ChainConfig }
  'chains:state': { input: void; output: ChainState[] }
  'rates:list': { input: void; output: RateInfo[] }
  'rates:set-manual': { input: { currency: string; rate: string | null }; output: RateInfo[] }
  'rates:refresh': { input: void; output: RateInfo[] }
  'api-keys:list': { input: void; output: ApiKeyInfo[] }
  'api-keys:create': { input: { livemode: boolean }; output: ApiKeyInfo & { secret: string; api_secret: string } }
  'api-keys:revoke': { input: { id: string }; output: ApiKeyInfo }
  // Signed requests (#12): a new API secret (shown once), and "signed requests only".
  'api-keys:rotate-secret': { input: { id: string }; output: ApiKeyInfo & { api_secret: string } }
  'api-keys:set-signed-only': { input: { id: string; signed_only: boolean }; output: ApiKeyInfo }
  'webhooks:endpoints': { input: void; output: WebhookEndpoint[] }
  'webhooks:create-endpoint': {
    input: { url: string; events?: string[]; secret?: string }
    output: WebhookEndpoint & { secret: string }
  }
  'webhooks:update-endpoint': {
    input: { id: string; url?: string; events?: string[]; enabled?: boolean }
    output: WebhookEndpoint
  }
  'webhooks:deliveries': {
    input: { endpoint_id?: string; session_id?: string; limit?: number }
    output: WebhookDelivery[]
  }
  'webhooks:attempts': { input: { delivery_id: string }; output: WebhookAttempt[] }
  'webhooks:redeliver': { input: { delivery_id: string }; output: WebhookDelivery }
  'webhooks:send-test': { input: { endpoint_id: string }; output: WebhookDelivery }
  'backups:state': { input: void; output: BackupState }
  /** A backup now; answers when it is checked and in place. */
  'backups:create': { input: void; output: BackupState }
  'backups:update': { input: { daily_at?: string; copy_to?: string | null }; output: BackupState }
  /**
   * Owner only (#13). Puts a listed copy (`file`, from `backups` or the second folder) in place of the shop's
   * database: the copy is checked first, the current database is kept as `saved` (backups/before-restore-….sqlite),
   * and the services restart in place on the restored data. Sales made since the copy are then only in `saved`.
   */
  'backups:restore': { input: { file: string }; output: { saved: string; state: BackupState } }
  /** Desktop: asks where to save, then writes the diagnostics zip there. (A browser downloads /export/diagnostics.zip.) */
  'support:export-diagnostics': { input: void; output: { saved: boolean } }
  /** Reversed sales the owner has not acknowledged yet, oldest first. */
  'sessions:reversals': { input: void; output: ReversalAlert[] }
  /** The owner has seen this sale's reversal: the alert goes (recorded in its timeline); returns what is left. */
  'sessions:acknowledge-reversal': { input: { id: string }; output: ReversalAlert[] }
  /** Receipts (#16): a COMPLETED sale's receipt (not found otherwise). */
  'receipts:get': { input: { id: string }; output: Receipt }
  /** Desktop: prints silently to the chosen printer. In the browser: refused with code print_in_browser (use the page's Print). */
  'receipts:print': { input: { id: string; layout?: ReceiptLayout }; output: { printed: true; printer: string | null } }
  /** Desktop: asks where, then saves the receipt as a PDF (webContents.printToPDF). In the browser: print_in_browser. */
  'receipts:save-pdf': { input: { id: string; layout?: ReceiptLayout }; output: { saved: boolean } }
  /** Desktop: the printers to choose from; in the browser none (the browser's dialog chooses). */
  'receipts:printers': { input: void; output: PrinterInfo[] }
  /** Refunds (#11). */
  'refunds:refundable': { input: { session_id: string }; output: Refundable }
  'refunds:create': { input: CreateRefundInput; output: Refund }
  'refunds:get': { input: { id: string }; output: Refund }
  'refunds:list': { input: RefundFilter; output: RefundPage }
  'refunds:cancel': { input: { id: string }; output: Refund }
  /** The owner pastes the hash of the transfer that paid it: accepted only if the chain shows it. */
  'refunds:prove': { input: { id: string; tx_hash: string }; output: Refund }
  /** Desktop: save the refunds CSV (a browser downloads /export/refunds.csv). */
  'refunds:export-csv': { input: RefundFilter; output: { saved: boolean; rows: number } }
  // Owner role, PIN and audit log (#13).
  /** The one setting a cashier may change: the screen's language. */
  'settings:language': { input: { language: AppSettings['language'] }; output: AppSettings }
  'owner:status': { input: void; output: OwnerStatus }
  'owner:unlock': { input: { pin: string }; output: OwnerStatus }
  'owner:lock': { input: void; output: OwnerStatus }
  /** First run (no PIN yet): `current` is not asked. Later: the current PIN changes it. */
  'owner:set-pin': { input: { current?: string; pin: string }; output: PinSetResult }
  'owner:reset-pin': { input: { recovery_code: string; pin: string }; output: PinSetResult }
  'owner:notices': { input: void; output: OwnerNotice[] }
  'audit:list': { input: AuditFilter; output: AuditPage }
  /** Desktop: asks where to save. (A browser downloads /export/audit.csv.) */
  'audit:export-csv': { input: AuditFilter; output: { saved: boolean; rows: number } }
  /** The desktop app's REST API: on or off, its port, whether the shop's network may call it. */
  'api-server:state': { input: void; output: ApiServerState }
  'api-server:update': { input: { enabled?: boolean; port?: number; lan?: boolean }; output: ApiServerState }
  /** #13 devices and tills: the caller's own device, then the owner's Devices screen. */
  'devices:me': { input: void; output: ThisDevice }
  'devices:list': { input: void; output: DeviceInfo[] }
  'devices:update': { input: { id: string; name?: string; till?: string }; output: DeviceInfo }
  'devices:revoke': { input: { id: string }; output: DeviceInfo }
  'devices:pair': { input: { till?: string; role_hint?: DeviceRoleHint }; output: PairingCode }
  'tills:list': { input: void; output: Till[] }
  'tills:create': { input: { name: string }; output: Till }
  'tills:update': { input: { id: string; name: string }; output: Till }
  // Tips, shifts and the end-of-day report (#17).
  /** The cashier's Charge when tips are on: the till's customer display is asked for the tip first. */
  'tips:request': { input: CreateSaleInput; output: TipRequest }
  /** The pending tip request at the caller's till, or null (the display at load and after a reconnect). */
  'tips:current': { input: void; output: TipRequest | null }
  /** The customer display's answer: only the display of that till (or the till's own window) may answer. */
  'tips:answer': { input: TipAnswer; output: TipRequest }
  /** The cashier goes on without a tip (the sale is made at the base price). */
  'tips:skip': { input: { id: string }; output: TipRequest }
  /** The cashier gives up the charge: no sale is made. */
  'tips:cancel': { input: { id: string }; output: TipRequest }
  /** The open shift at the caller's till, or null. */
  'shifts:current': { input: void; output: Shift | null }
  'shifts:open': { input: void; output: Shift }
  /** Closes it and sends the signed report.closed webhook. */
  'shifts:close': { input: { id: string }; output: { shift: Shift; report: EndOfDayReport } }
  /** Newest first; a cashier sees their own till's only. */
  'shifts:list': { input: { till?: string; limit?: number }; output: Shift[] }
  /** A cashier may ask for their own till's shifts only; a day's report is the owner's. */
  'reports:end-of-day': { input: EndOfDayQuery; output: EndOfDayReport }
  'reports:end-of-day-csv': { input: EndOfDayQuery; output: { filename: string; csv: string } }
  /** Laid out for the receipt paper (58/80 mm roll or A4), printed by the screen. */
  'reports:end-of-day-print': {
    input: EndOfDayQuery & { layout?: ReceiptLayout }
    output: { html: string; width_mm: number | null; height_mm: number | null }
  }
  // Catalog and cart (#17): a cashier reads the active products; the owner edits, imports and exports them.
  'products:list': { input: { include_inactive?: boolean }; output: Product[] }
  'products:image': { input: { id: string }; output: { id: string; image: string | null } }
  'products:create': { input: ProductInput; output: Product }
  'products:update': { input: Partial<ProductInput> & { id: string }; output: Product }
  'products:delete': { input: { id: string }; output: { id: string; deleted: true } }
  /** The whole file's rows are checked first: one wrong row imports nothing. A row with a known id updates it. */
  'products:import-csv': { input: { csv: string }; output: ProductImportResult }
  'products:export-csv': { input: void; output: { csv: string; rows: number } }
  /** The caller's till's sale screen: keypad or products. */
  'sale-mode:get': { input: void; output: { mode: SaleMode } }
  'sale-mode:set': { input: { mode: SaleMode }; output: { mode: SaleMode } }
  /** Desktop: save the line-items CSV, one row per line of each sale (a browser downloads /export/line-items.csv). */
  'sessions:export-line-items-csv': { input: SessionFilter; output: { saved: boolean; rows: number } }
}

export type Channel = keyof Contract
export type InputOf<C extends Channel> = Contract[C]['input']
export type OutputOf<C extends Channel> = Contract[C]['output']

/** The allow-list the preload and the HTTP bridge check channel names against. */
export const CHANNELS = [
  'app:info',
  'setup:complete',
  'setup:preview-xpub',
  'settings:get',
  'settings:update',
  'merchant:get',
  'merchant:update',
  'sessions:create',
  'sessions:get',
  'sessions:list',
  'sessions:cancel',
  'sessions:timeline',
  'sessions:totals',
  'sessions:export-csv',
  'sessions:simulate-payment',
  'transfers:list',
  'transfers:assign',
  'chains:list',
  'chains:update',
  'chains:state',
  'rates:list',
  'rates:set-manual',
  'rates:refresh',
  'api-keys:list',
  'api-keys:create',
  'api-keys:revoke',
  'api-keys:rotate-secret',
  'api-keys:set-signed-only',
  'webhooks:endpoints',
  'webhooks:create-endpoint',
  'webhooks:update-endpoint',
  'webhooks:deliveries',
  'webhooks:attempts',
  'webhooks:redeliver',
  'webhooks:send-test',
  'backups:state',
  'backups:create',
  'backups:update',
  'backups:restore',
  'support:export-diagnostics',
  'sessions:reversals',
  'sessions:acknowledge-reversal',
  'receipts:get',
  'receipts:print',
  'receipts:save-pdf',
  'receipts:printers',
  'refunds:refundable',
  'refunds:create',
  'refunds:get',
  'refunds:list',
  'refunds:cancel',
  'refunds:prove',
  'refunds:export-csv',
  'settings:language',
  'owner:status',
  'owner:unlock',
  'owner:lock',
  'owner:set-pin',
  'owner:reset-pin',
  'owner:notices',
  'audit:list',
  'audit:export-csv',
  'api-server:state',
  'api-server:update',
  'devices:me',
  'devices:list',
  'devices:update',
  'devices:revoke',
  'devices:pair',
  'tills:list',
  'tills:create',
  'tills:update',
  // Tips, shifts and the end-of-day report (#17).
  'tips:request',
  'tips:current',
  'tips:answer',
  'tips:skip',
  'tips:cancel',
  'shifts:current',
  'shifts:open',
  'shifts:close',
  'shifts:list',
  'reports:end-of-day',
  'reports:end-of-day-csv',
  'reports:end-of-day-print',
  'products:list',
  'products:image',
  'products:create',
  'products:update',
  'products:delete',
  'products:import-csv',
  'products:export-csv',
  'sale-mode:get',
  'sale-mode:set',
  'sessions:export-line-items-csv',
] as const satisfies readonly Channel[]

// Compile-time proof that CHANNELS lists every channel exactly: a missing one is a type error here.
type MissingChannels = Exclude<Channel, (typeof CHANNELS)[number]>
export const _everyChannelListed: MissingChannels extends never ? true : MissingChannels = true

/**
 * Who may call each channel (#13). The engine's handler registry refuses an
 * owner channel unless the calling device holds the owner role (error
 * `owner_required`, HTTP 403); the renderer reads it to ask for the PIN first.
 * Typed over every channel: a new channel without a role does not compile.
 */
export const CHANNEL_ROLES: { readonly [C in Channel]: Role } = {
  'app:info': 'cashier',
  // First run: open while no PIN exists (every caller is owner then); afterwards it would replace the shop.
  'setup:complete': 'owner',
  // Derives addresses from the xpub typed in; reads and writes nothing stored.
  'setup:preview-xpub': 'cashier',
  'settings:get': 'cashier',
  // Livemode switches the till between test and real money.
  'settings:update': 'owner',
  'settings:language': 'cashier',
  // The sale screen shows the shop's name and price currency; the receiving address is on every QR anyway.
  'merchant:get': 'cashier',
  'merchant:update': 'owner',
  'sessions:create': 'cashier',
  'sessions:get': 'cashier',
  // A cashier sees today's sales only (the registry narrows the filter to today in the shop's time zone).
  'sessions:list': 'cashier',
  'sessions:cancel': 'cashier',
  'sessions:timeline': 'owner',
  'sessions:totals': 'cashier',
  'sessions:export-csv': 'owner',
  // Only on the local dev chain: the demo's "customer pays" button on the sale screen.
  'sessions:simulate-payment': 'cashier',
  'transfers:list': 'owner',
  'transfers:assign': 'owner',
  // The sale screen offers the enabled networks and tokens.
  'chains:list': 'cashier',
  'chains:update': 'owner',
  'chains:state': 'cashier',
  'rates:list': 'cashier',
  'rates:set-manual': 'owner',
  'rates:refresh': 'owner',
  'api-keys:list': 'owner',
  'api-keys:create': 'owner',
  'api-keys:revoke': 'owner',
  'api-keys:rotate-secret': 'owner',
  'api-keys:set-signed-only': 'owner',
  'webhooks:endpoints': 'owner',
  'webhooks:create-endpoint': 'owner',
  'webhooks:update-endpoint': 'owner',
  'webhooks:deliveries': 'owner',
  'webhooks:attempts': 'owner',
  'webhooks:redeliver': 'owner',
  'webhooks:send-test': 'owner',
  'backups:state': 'owner',
  'backups:create': 'owner',
  'backups:update': 'owner',
  'support:export-diagnostics': 'owner',
  // The reversal alert shows on every screen; acknowledging it is the owner's.
  'sessions:reversals': 'cashier',
  'sessions:acknowledge-reversal': 'owner',
  // The PIN channels check the PIN (or recovery code) themselves: they are how a cashier becomes owner.
  'owner:status': 'cashier',
  'owner:unlock': 'cashier',
  'owner:lock': 'cashier',
  'owner:set-pin': 'cashier',
  'owner:reset-pin': 'cashier',
  'owner:notices': 'cashier',
  'audit:list': 'owner',
  'audit:export-csv': 'owner',
  // Refunds (#11): money going out of the shop is the owner's.
  'refunds:refundable': 'owner',
  'refunds:create': 'owner',
  'refunds:get': 'owner',
  'refunds:list': 'owner',
  'refunds:cancel': 'owner',
  'refunds:prove': 'owner',
  'refunds:export-csv': 'owner',
  // Replaces the shop's data with a backup (#14).
  'backups:restore': 'owner',
  // The desktop REST API (#16): opening the till to a back office is the owner's choice.
  'api-server:state': 'owner',
  'api-server:update': 'owner',
  // Devices and tills (#13): a device reads itself and the tills (the customer display follows its own);
  // pairing, renaming, moving and revoking devices, and naming tills, are the owner's.
  'devices:me': 'cashier',
  'tills:list': 'cashier',
  'devices:list': 'owner',
  'devices:update': 'owner',
  'devices:revoke': 'owner',
  'devices:pair': 'owner',
  'tills:create': 'owner',
  'tills:update': 'owner',
  // Receipts (#16): a paid sale's receipt is the cashier's to print again.
  'receipts:get': 'cashier',
  'receipts:print': 'cashier',
  'receipts:save-pdf': 'cashier',
  'receipts:printers': 'cashier',
  // Tips, shifts and the end-of-day report (#17): a cashier at their own till (the handlers check the till);
  // tips:answer is the customer display's, checked in the engine (a display of that till, or the till's own window).
  'tips:request': 'cashier',
  'tips:current': 'cashier',
  'tips:answer': 'cashier',
  'tips:skip': 'cashier',
  'tips:cancel': 'cashier',
  'shifts:current': 'cashier',
  'shifts:open': 'cashier',
  'shifts:close': 'cashier',
  'shifts:list': 'cashier',
  'reports:end-of-day': 'cashier',
  'reports:end-of-day-csv': 'cashier',
  'reports:end-of-day-print': 'cashier',
  // Catalog and cart (#17): the sale screen lists the active products (the handler hides the others from a cashier)
  // and their pictures, and a cashier switches the till between keypad and products; editing the catalog is the owner's.
  'products:list': 'cashier',
  'products:image': 'cashier',
  'sale-mode:get': 'cashier',
  'sale-mode:set': 'cashier',
  'products:create': 'owner',
  'products:update': 'owner',
  'products:delete': 'owner',
  'products:import-csv': 'owner',
  'products:export-csv': 'owner',
  'sessions:export-line-items-csv': 'owner',
}

// ---------------------------------------------------------------- pushed events

/** Pushed from the engine: `domain:past-tense`. */
export interface PushEvents {
  'session:updated': PaymentSession
  'chain:state-changed': ChainState
  'transfer:recorded': Transfer
  'webhook:delivered': WebhookDelivery
  'refund:updated': Refund
  /** The database was replaced by a backup while running: every screen refetches what it shows. */
  'shop:restored': { file: string }
  /** Tips (#17): a tip request of a till changed (asked, answered, skipped, cancelled); only that till's screens get it. */
  'tip:updated': TipRequest
}
export type PushEventName = keyof PushEvents
export const PUSH_EVENTS = [
  'session:updated',
  'chain:state-changed',
  'transfer:recorded',
  'webhook:delivered',
  'refund:updated',
  'shop:restored',
  'tip:updated',
] as const satisfies readonly PushEventName[]

// ---------------------------------------------------------------- results and errors

export interface ContractError {
  /** One of the app's codes (shared/errorCodes.ts): the screens show its sentence, not `message`. */
  code: ErrorCode
  message: string
  param?: string
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError }

/** Main side: what each registered handler must be. `caller.device` is the device asking (its till, its role). */
export type Handlers = {
  [C in Channel]: (input: InputOf<C>, caller: { readonly device: string }) => OutputOf<C> | Promise<OutputOf<C>>
}

/** Renderer side: every channel as a promise-returning method (errors thrown as typed exceptions). */
export type Client = { [C in Channel]: (input: InputOf<C>) => Promise<OutputOf<C>> }

/** What the preload exposes on `window.stablepay` (and the HTTP bridge imitates). */
export interface Transport {
  invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>
  subscribe<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void
  /** Fires when the push stream is live, at first and after a dropped connection came back: the UI refetches (never shows a stale status). */
  onReconnect(listener: () => void): () => void
  /** Whether the engine can be reached (serve mode: the push stream is open). Electron's IPC is always up and leaves it out. */
  onConnection?(listener: (up: boolean) => void): () => void
  /** Serve mode: the server refused this device's session (revoked, idle 12 hours); the screens ask to sign in again. */
  onSignedOut?(listener: () => void): () => void
}

/**
 * How often serve mode's event stream sends a heartbeat when nothing else happens (#15). The page treats a stream
 * silent for about two of them as a frozen server (TCP open, nothing arriving) and reconnects.
 */
export const EVENT_HEARTBEAT_MS = 15_000

/** IPC channel names used by the preload and the Electron shell. */
export const IPC = { invoke: 'stablepay:invoke', push: 'stablepay:push' } as const
