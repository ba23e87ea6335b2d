/**
 * What each contract channel accepts, as one zod schema per channel, and the
 * field rules the REST API shares with them (an order id is the same order id
 * whether a till or a back office sends it).
 *
 * The engine's handler registry parses every request with its channel's
 * schema once, before the handler runs, so a handler only ever sees the typed
 * input of the contract. The messages are the words the engine and the REST
 * API have always answered with; a failed parse becomes `parameter_invalid`
 * naming the field.
 *
 * What is checked here: every type, and every rule that needs nothing stored.
 * What is not: rules that need stored data (the merchant's currency decides an
 * amount's decimals, a network must be enabled, an order must not be paid),
 * and the content checks the config file shares with the owner's screens
 * (receiving address and xpub, RPC and webhook URLs, a network's fields, a
 * shop's session lifetime and time zone), which stay in the engine's one
 * function for each; here their fields are checked for type only.
 *
 * Imports only zod and the contract, so the renderer may use the same pieces
 * for as-you-type checks. The sandboxed preload never imports this file.
 */
import { z } from 'zod'
import type { Channel, InputOf, ReceiveSetup } from './contract'
import { AUDIT_KINDS, PRODUCT_IMAGE_MAX_BYTES, RECEIPT_LAYOUTS, REFUND_REASONS, REFUND_STATUSES, SALE_MODES, SESSION_STATUSES, TAX_MODES } from './contract'
import { isCurrency } from './shared/money'

/** No control characters (C0, DEL, C1): an order id ends up in CSV files, logs and receipts. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

/** JSON clients often send null for "not given"; treat it as absent rather than as a wrong type. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined)

/** The integrator's reference for a sale; one live session per order. */
export const orderId = z
  .string({ error: 'order_id must be a string' })
  .min(1, 'order_id must be 1-128 characters')
  .max(128, 'order_id must be 1-128 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'order_id must not contain control characters')

/**
 * A price as a string: a JSON number cannot be trusted with cents (100.1 + 0.2).
 * Its digits are the engine's to judge, against the decimals of the currency it is in.
 */
export const amount = z.string({ error: 'amount must be a decimal string like "100.50", not a JSON number' })

/** A supported price currency; `unsupported` words the refusal for the caller (the API lists the codes). */
export const currencyCode = (unsupported: (code: string) => string) =>
  z.string({ error: 'currency must be a string like "USD"' }).refine(isCurrency, { error: (issue) => unsupported(String(issue.input)) })

export const chainId = z
  .number({ error: 'chain_id must be an integer chain id like 8453' })
  .int('chain_id must be an integer chain id like 8453')
  .positive('chain_id must be a positive integer')

export const tokenSymbol = z
  .string({ error: 'token must be a token symbol like "USDC"' })
  .min(1)
  .max(16, 'token must be a symbol of at most 16 characters')

/** A part of a sale's amount (tax, tip…): a decimal string like the amount, zero allowed; the engine checks its digits. */
export const amountPart = (name: string) => z.string({ error: `${name} must be a decimal string like "1.50", not a JSON number` })

const MAX_LINE_ITEMS = 200

/** One line of a sale (#12, #17): what it is, its unit price and how many. */
export const lineItem = z
  .object({
    name: z
      .string({ error: 'line_items[].name must be a string' })
      .trim()
      .min(1, 'line_items[].name must be 1-200 characters')
      .max(200, 'line_items[].name must be 1-200 characters')
      .refine((s) => !CONTROL_CHARS.test(s), 'line_items[].name must not contain control characters'),
    description: optional(
      z
        .string({ error: 'line_items[].description must be a string' })
        .max(500, 'line_items[].description must be at most 500 characters')
        .refine((s) => !CONTROL_CHARS.test(s), 'line_items[].description must not contain control characters'),
    ),
    unit_amount: amountPart('line_items[].unit_amount'),
    quantity: z
      .number({ error: 'line_items[].quantity must be a whole number' })
      .int('line_items[].quantity must be a whole number')
      .min(1, 'line_items[].quantity must be at least 1')
      .max(100_000, 'line_items[].quantity must be at most 100000'),
    product_id: optional(z.string({ error: 'line_items[].product_id must be a string' }).min(1).max(64)),
  })
  .strict()

export const lineItems = z
  .array(lineItem, { error: 'line_items must be a list of line items' })
  .max(MAX_LINE_ITEMS, `line_items must have at most ${MAX_LINE_ITEMS} lines`)

/** Where the payment page sends the customer afterwards: an absolute http(s) URL. */
export const returnUrl = (name: string) =>
  z
    .string({ error: `${name} must be a URL string` })
    .max(2048, `${name} must be at most 2048 characters`)
    .refine((s) => {
      try {
        const url = new URL(s)
        return url.protocol === 'https:' || url.protocol === 'http:'
      } catch {
        return false
      }
    }, `${name} must be an absolute http or https URL`)

/** The fields a sale's composition adds to a create request, shared by the till's channel and the REST API. */
export const saleComposition = {
  line_items: optional(lineItems),
  tax_amount: optional(amountPart('tax_amount')),
  shipping_amount: optional(amountPart('shipping_amount')),
  tip_amount: optional(amountPart('tip_amount')),
  discount_amount: optional(amountPart('discount_amount')),
  success_url: optional(returnUrl('success_url')),
  cancel_url: optional(returnUrl('cancel_url')),
}

const MAX_METADATA_PAIRS = 20

/** The integrator's own key/value notes on a session, returned as sent. */
export const metadata = z
  // zod's record drops a "__proto__" key without a word; refuse it rather than lose what was sent.
  .custom((value) => !(value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')), {
    error: 'metadata key "__proto__" is not allowed',
  })
  .pipe(
    z
      .record(
        z.string().min(1, 'metadata keys must be 1-40 characters').max(40, 'metadata keys must be 1-40 characters'),
        z.string({ error: 'metadata values must be strings' }).max(500, 'metadata values must be at most 500 characters'),
        { error: 'metadata must be an object of string keys and string values' },
      )
      .refine((m) => Object.keys(m).length <= MAX_METADATA_PAIRS, `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`),
  )

/** How long a new session may be paid, instead of the shop's default. */
export const expiresIn = z
  .number({ error: 'expires_in must be a whole number of seconds' })
  .int('expires_in must be a whole number of seconds')
  .min(60, 'expires_in must be from 60 to 86400 seconds')
  .max(86400, 'expires_in must be from 60 to 86400 seconds')

export const sessionStatus = z.enum(SESSION_STATUSES, { error: `status must be one of ${SESSION_STATUSES.join(', ')}` })

/** A page size from 1 to `max`. */
export function limit(max: number) {
  const message = `limit must be an integer from 1 to ${max}`
  return z.number({ error: message }).int(message).min(1, message).max(max, message)
}

/** The last session of the previous page. */
export const sessionCursor = z
  .string({ error: 'starting_after must be a session id' })
  .min(1, 'starting_after must be a session id')
  .max(64, 'starting_after must be a session id')

/** A transaction hash as the chain gives it. */
export const txHash = z
  .string({ error: 'tx_hash must be a 0x-prefixed 32-byte hash' })
  .regex(/^0x[0-9a-fA-F]{64}$/, 'tx_hash must be a 0x-prefixed 32-byte hash')

const MAX_FILTER_TEXT = 256

const filterText = (name: string) => {
  const message = `${name} must be a string of at most ${MAX_FILTER_TEXT} characters`
  return optional(z.string({ error: message }).max(MAX_FILTER_TEXT, message))
}

const unixSeconds = (name: string) => {
  const message = `${name} must be unix seconds`
  return optional(z.number({ error: message }).int(message).min(0, message))
}

/** Which sessions the History screen, its totals and its CSV cover; no filter at all is every session. */
const setFilterFields = {
  status: optional(sessionStatus),
  order_id: filterText('order_id'),
  created_gte: unixSeconds('created_gte'),
  created_lt: unixSeconds('created_lt'),
  chain_id: optional(chainId),
  token: filterText('token'),
  search: filterText('search'),
  till: filterText('till'),
}

const filterObject = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z
    .object(shape, { error: 'the filter must be an object' })
    .nullish()
    .transform((v) => v ?? {})

/** The filtered set without paging (totals and CSV cover every matching session). */
export const sessionSetFilter = filterObject(setFilterFields)

/** A page of the filtered set, newest first. */
export const sessionListFilter = filterObject({
  ...setFilterFields,
  limit: optional(limit(100)),
  starting_after: optional(sessionCursor),
})

/** Channels without input: the renderer sends nothing (over HTTP, `null`). */
const noInput = z.union([z.null(), z.undefined()], { error: 'this request takes no input' }).transform((): void => undefined)

const request = <S extends z.core.$ZodLooseShape>(shape: S, what = 'the request') => z.object(shape, { error: `${what} must be an object` })

const text = (name: string) => z.string({ error: `${name} must be a string` })
const flag = (name: string) => z.boolean({ error: `${name} must be true or false` })

const byId = request({ id: text('id') })

/** A device's or a till's name as the owner types it (#13). */
const shortName = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, `${name} must not be empty`)
    .max(60, `${name} must be at most 60 characters`)
const deviceName = shortName('name')
const tillName = shortName('name')
const deviceRoleHint = z.enum(['cashier', 'display'], { error: 'role_hint must be cashier or display' })

/** The shop's name as the owner types it; spaces around it are dropped. */
export const shopName = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'shop name is empty')
  .max(200, 'shop name must be at most 200 characters')

// ---- Receipts (#16)
const LAYOUT_MESSAGE = `layout must be one of ${RECEIPT_LAYOUTS.map((l) => `"${l}"`).join(', ')}`
export const receiptLayout = z.enum(RECEIPT_LAYOUTS, { error: LAYOUT_MESSAGE })
const ADDRESS_MESSAGE = 'address must be at most 4 lines and 300 characters'
/** The shop's address as printed on receipts: up to 4 lines; empty is none. */
export const shopAddress = z
  .string({ error: 'address must be a string or null' })
  .max(300, ADDRESS_MESSAGE)
  .transform((a) =>
    a
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .refine((lines) => lines.length <= 4, ADDRESS_MESSAGE)
  .refine((lines) => lines.every((line) => !CONTROL_CHARS.test(line)), 'address must not contain control characters')
  .transform((lines) => (lines.length > 0 ? lines.join('\n') : null))
  .nullable()
const receiptRequest = request({ id: text('id'), layout: receiptLayout.optional() })
// ---- end receipts

const priceCurrency = currencyCode((code) => `unsupported currency "${code.slice(0, 16)}"`)

/** Where the money goes; the address or xpub itself is checked (and checksummed) by the engine. */
export const receiveSetup = z
  .object(
    {
      mode: z.enum(['address', 'xpub'], { error: 'receive.mode must be "address" or "xpub"' }),
      address: optional(text('receive.address')),
      xpub: optional(text('receive.xpub')),
    },
    { error: 'receive must be an object' },
  )
  .transform((r): ReceiveSetup =>
    r.mode === 'address' ? { mode: 'address', address: r.address ?? '' } : { mode: 'xpub', xpub: r.xpub ?? '' },
  )

/** A network and token the first-run wizard accepts, as "chainId:SYMBOL". */
export const ACCEPT_PAIR = /^(\d{1,12}):([A-Za-z0-9.]{1,16})$/
const notAPair = (issue: { input?: unknown }) => `accept: "${String(issue.input).slice(0, 40)}" is not "chainId:TOKEN"`
const NOTHING_ACCEPTED = 'choose at least one network and token to accept'

const tokenConfig = z.object(
  {
    symbol: z.string({ error: 'a token symbol must be 1-16 letters or digits' }),
    address: z.string({ error: 'a token address must be 0x followed by 40 hex characters' }),
    decimals: z.number({ error: 'token decimals must be an integer from 2 to 36' }),
    // A token listed without a switch is accepted, as in the config file.
    enabled: flag('enabled').default(true),
  },
  { error: 'tokens must be a list of { symbol, address, decimals, enabled }' },
)

const list = <T extends z.ZodType>(name: string, item: T) => z.array(item, { error: `${name} must be a list` })

/** A webhook endpoint's address; what it may be is the webhooks module's to judge, for the config file's endpoints too. */
export const webhookUrl = z.string({ error: 'url must be an http(s) URL of at most 2048 characters' })
const EVENTS_MESSAGE = 'events must be a non-empty list of event types, or ["*"]'
export const webhookEvents = z.array(z.string({ error: EVENTS_MESSAGE }), { error: EVENTS_MESSAGE })

// ---------------------------------------------------------------- refunds (#11)

/** The merchant's idempotency key for a refund: same rules as an order id. */
export const refundId = z
  .string({ error: 'refund_id must be a string' })
  .min(1, 'refund_id must be 1-128 characters')
  .max(128, 'refund_id must be 1-128 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'refund_id must not contain control characters')

export const refundReason = z.enum(REFUND_REASONS, { error: `reason must be one of ${REFUND_REASONS.join(', ')}` })
export const refundStatus = z.enum(REFUND_STATUSES, { error: `status must be one of ${REFUND_STATUSES.join(', ')}` })

/** A refund's destination; its checksum and that it is not the shop's own address are the engine's to judge. */
export const refundDestination = z
  .string({ error: 'destination must be an address: 0x followed by 40 hex characters' })
  .regex(/^0x[0-9a-fA-F]{40}$/, 'destination must be an address: 0x followed by 40 hex characters')

export const refundDescription = z
  .string({ error: 'description must be a string' })
  .max(500, 'description must be at most 500 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'description must not contain control characters')

export const refundListFilter = filterObject({
  session_id: filterText('session_id'),
  status: optional(refundStatus),
  limit: optional(limit(100)),
  starting_after: optional(z.string({ error: 'starting_after must be a refund id' }).min(1).max(64, 'starting_after must be a refund id')),
})

/** The owner PIN (#13): digits only, 6 to 12 of them. */
export const ownerPin = (name = 'pin') =>
  z
    .string({ error: `${name} must be 6-12 digits` })
    .regex(/^\d{6,12}$/, { error: `${name} must be 6-12 digits` })

/** Which audit rows the owner's screen lists (and exports): newest first. */
const auditFilterFields = {
  kind: optional(z.enum(AUDIT_KINDS, { error: `kind must be one of ${AUDIT_KINDS.join(', ')}` })),
  device: filterText('device'),
  created_gte: unixSeconds('created_gte'),
  created_lt: unixSeconds('created_lt'),
}
export const auditFilter = filterObject({
  ...auditFilterFields,
  limit: optional(limit(200)),
  starting_after: optional(z.string({ error: 'starting_after must be an audit entry id' }).max(64, 'starting_after must be an audit entry id')),
})

// ---- A till's sale (sessions:create), and tips, shifts and the end-of-day report (#17)
const TIP_PERCENT_MESSAGE = 'tip_percentages must be three whole percentages from 1 to 100, like [10, 15, 20]'
const tipPercent = z
  .number({ error: TIP_PERCENT_MESSAGE })
  .int(TIP_PERCENT_MESSAGE)
  .min(1, TIP_PERCENT_MESSAGE)
  .max(100, TIP_PERCENT_MESSAGE)
const tipPercentages = z.array(tipPercent, { error: TIP_PERCENT_MESSAGE }).length(3, TIP_PERCENT_MESSAGE)
const createSale = request(
  {
    amount,
    currency: optional(priceCurrency),
    // A counter sale without a reference gets one made up by the handler.
    order_id: optional(z.string({ error: 'order_id must be a string' }).trim())
      .transform((id) => id || undefined)
      .pipe(orderId.optional()),
    chain_id: optional(chainId),
    token: optional(tokenSymbol),
    expires_in: optional(expiresIn),
    require_online: optional(z.boolean({ error: 'require_online must be true or false' })),
    ...saleComposition,
  },
  'the sale',
)
const shopDayText = z
  .string({ error: 'day must be a date like "2026-05-01"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be a date like "2026-05-01"')
const endOfDayFields = {
  till: optional(text('till').max(64, 'till must be a till id like "till_1"')),
  day: optional(shopDayText),
  shift_id: optional(text('shift_id').max(64, 'shift_id must be a shift id')),
}
const endOfDayQuery = request(endOfDayFields).nullish().transform((v) => v ?? {})
// ---- end #17
// ---------------------------------------------------------------- catalog and cart (#17)

/** A product's name as the owner types it (or a CSV cell holds it): it is printed on receipts and CSV files. */
const productText = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .max(max, `${name} must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), `${name} must not contain control characters`)
/** Left empty (or null) is none. */
const productOptionalText = (name: string, max: number) =>
  productText(name, max)
    .transform((s) => s || null)
    .nullable()
    .optional()
export const productName = productText('name', 80).pipe(z.string().min(1, 'name must not be empty'))
export const productCategory = productOptionalText('category', 40)
export const productNameZh = productOptionalText('name_zh', 80)
export const productColor = z
  .string({ error: 'color must be "#rrggbb" or null' })
  .regex(/^#[0-9a-fA-F]{6}$/, 'color must be "#rrggbb" or null')
  .transform((c) => c.toLowerCase())
  .nullable()
  .optional()
// Base64 is 4 characters per 3 bytes, plus the "data:image/webp;base64," before it.
const IMAGE_MAX_CHARS = Math.ceil(PRODUCT_IMAGE_MAX_BYTES / 3) * 4 + 32
export const productImage = z
  .string({ error: 'image must be a data URL or null' })
  .max(IMAGE_MAX_CHARS, `image must be at most ${PRODUCT_IMAGE_MAX_BYTES / 1024} KB`)
  .nullable()
  .optional()
export const taxRateBp = z
  .number({ error: 'tax_rate_bp must be basis points from 0 to 10000 (825 is 8.25 %)' })
  .int('tax_rate_bp must be basis points from 0 to 10000 (825 is 8.25 %)')
  .min(0, 'tax_rate_bp must be basis points from 0 to 10000 (825 is 8.25 %)')
  .max(10000, 'tax_rate_bp must be basis points from 0 to 10000 (825 is 8.25 %)')
const productFields = {
  name: productName,
  name_zh: productNameZh,
  price: z.string({ error: 'price must be a decimal string like "3.50", not a JSON number' }),
  category: productCategory,
  color: productColor,
  image: productImage,
  tax_rate_bp: taxRateBp.optional(),
  active: flag('active').optional(),
}
/** A whole product file is small (2,000 products are ~200 KB); the cap keeps a wrong file from filling memory. */
const PRODUCT_CSV_MAX_CHARS = 5_000_000
export const taxMode = z.enum(TAX_MODES, { error: 'tax_mode must be "included" or "added"' })
const saleMode = z.enum(SALE_MODES, { error: 'mode must be "keypad" or "products"' })
// ---- end catalog and cart

/** What Settings can set, and its rules: the settings:update channel and the config file's `settings` (#15) share them. */
export const settingsFields = {
  language: z.enum(['en', 'zh-CN'], { error: 'language must be "en" or "zh-CN"' }).optional(),
  livemode: flag('livemode').optional(),
  auto_new_sale_seconds: z
    .number({ error: 'auto_new_sale_seconds must be 0-600' })
    .int('auto_new_sale_seconds must be 0-600')
    .min(0, 'auto_new_sale_seconds must be 0-600')
    .max(600, 'auto_new_sale_seconds must be 0-600')
    .optional(),
  confirm_amount_above: z
    .string({ error: 'confirm_amount_above must be an amount like "1000" or "250.50"' })
    .regex(/^\d{1,12}(\.\d{1,4})?$/, 'confirm_amount_above must be an amount like "1000" or "250.50"')
    .optional(),
  // #15: the counter's choices in Settings.
  late_window_seconds: z
    .number({ error: 'late_window_seconds must be 0-2592000 (30 days)' })
    .int('late_window_seconds must be 0-2592000 (30 days)')
    .min(0, 'late_window_seconds must be 0-2592000 (30 days)')
    .max(30 * 86400, 'late_window_seconds must be 0-2592000 (30 days)')
    .optional(),
  sound_on_paid: flag('sound_on_paid').optional(),
  theme: z.enum(['system', 'light', 'dark'], { error: 'theme must be "system", "light" or "dark"' }).optional(),
  // Receipts (#16)
  receipt_layout: receiptLayout.optional(),
  receipt_auto_print: flag('receipt_auto_print').optional(),
  receipt_printer: z
    .string({ error: 'receipt_printer must be a printer name or null' })
    .trim()
    .max(256, 'receipt_printer must be at most 256 characters')
    .transform((name) => name || null)
    .nullable()
    .optional(),
  // Desktop (#16)
  kiosk: flag('kiosk').optional(),
  // Tips (#17)
  tips_enabled: flag('tips_enabled').optional(),
  tip_percentages: tipPercentages.optional(),
  tip_custom: flag('tip_custom').optional(),
  // Catalog (#17)
  tax_mode: taxMode.optional(),
}

type InputSchemas = { readonly [C in Channel]: z.ZodType<InputOf<C>> }

/** Every channel's input schema: a channel missing here is a compile error. */
export const INPUT_SCHEMAS: InputSchemas = {
  'app:info': noInput,
  'setup:complete': request(
    {
      name: shopName,
      currency: priceCurrency,
      receive: receiveSetup,
      livemode: flag('livemode'),
      accept: z
        .array(z.string({ error: notAPair }).regex(ACCEPT_PAIR, { error: notAPair }), { error: NOTHING_ACCEPTED })
        .min(1, NOTHING_ACCEPTED),
    },
    'setup',
  ),
  'setup:preview-xpub': request({ xpub: text('xpub') }, 'input'),
  'settings:get': noInput,
  'settings:update': request(settingsFields, 'settings'),
  'merchant:get': noInput,
  'merchant:update': request(
    {
      name: shopName.optional(),
      currency: priceCurrency.optional(),
      receive: receiveSetup.optional(),
      session_ttl_seconds: z.number({ error: 'session_ttl_seconds must be a number of seconds' }).optional(),
      time_zone: text('time_zone').optional(),
      address: shopAddress.optional(),
    },
    'merchant',
  ),
  // One schema for a till's sale, whether charged directly or through the customer's tip first (tips:request, #17).
  'sessions:create': createSale,
  'sessions:get': byId,
  'sessions:list': sessionListFilter,
  'sessions:cancel': byId,
  'sessions:timeline': byId,
  'sessions:totals': sessionSetFilter,
  'sessions:export-csv': sessionSetFilter,
  'sessions:simulate-payment': request({
    id: text('id'),
    kind: z.enum(['exact', 'under', 'over'], { error: 'kind must be exact, under or over' }),
  }),
  'transfers:list': request({
    unmatched: optional(flag('unmatched')),
    limit: optional(limit(500)),
    before: optional(z.string({ error: 'before: no such transfer (expected chain_id:tx_hash:log_index)' })),
  })
    .nullish()
    .transform((v) => v ?? {}),
  'transfers:assign': request({
    chain_id: chainId,
    tx_hash: txHash,
    log_index: z
      .number({ error: 'log_index must be an integer' })
      .int('log_index must be an integer')
      .min(0, 'log_index must be an integer'),
    session_id: text('session_id'),
  }),
  'chains:list': noInput,
  'chains:update': request(
    {
      chain_id: chainId,
      name: text('name').optional(),
      testnet: flag('testnet').optional(),
      rpc_urls: list('rpc_urls', z.string({ error: 'rpc_urls must be a list of URLs' })).optional(),
      ws_urls: list('ws_urls', z.string({ error: 'ws_urls must be a list of URLs' })).optional(),
      confirmations: z.number({ error: 'confirmations must be an integer from 1 to 1000' }).optional(),
      poll_interval_ms: z.number({ error: 'poll_interval_ms must be a number of milliseconds or null' }).nullable().optional(),
      block_time_ms: z
        .number({ error: 'block_time_ms must be a positive integer' })
        .int('block_time_ms must be a positive integer')
        .positive('block_time_ms must be a positive integer')
        .optional(),
      explorer_url: z.string({ error: 'explorer_url must be a URL or null' }).nullable().optional(),
      color: text('color').optional(),
      enabled: flag('enabled').optional(),
      tokens: list('tokens', tokenConfig).optional(),
    },
    'network',
  ),
  'chains:state': noInput,
  'rates:list': noInput,
  'rates:set-manual': request(
    {
      currency: z.string({ error: 'currency must be a string' }).refine((c) => isCurrency(c) && c !== 'USD', {
        error: (issue) => `"${String(issue.input).slice(0, 16)}" is not a supported non-USD currency`,
      }),
      // null clears the manual rate; the rate's digits are the rates module's to judge.
      rate: text('rate').nullable(),
    },
    'rate',
  ),
  'rates:refresh': noInput,
  'api-keys:list': noInput,
  'api-keys:create': request({ livemode: flag('livemode') }, 'input'),
  'api-keys:revoke': request({ id: text('id') }, 'input'),
  // Signed requests (#12).
  'api-keys:rotate-secret': request({ id: text('id') }, 'input'),
  'api-keys:set-signed-only': request({ id: text('id'), signed_only: flag('signed_only') }, 'input'),
  'webhooks:endpoints': noInput,
  // URL, event types and secret are checked by the webhooks module, which checks the config file's endpoints too.
  'webhooks:create-endpoint': request({
    url: webhookUrl,
    events: webhookEvents.optional(),
    secret: z.string({ error: 'secret must be 16-256 visible ASCII characters (no spaces)' }).optional(),
  }),
  'webhooks:update-endpoint': request({
    id: text('id'),
    url: webhookUrl.optional(),
    events: webhookEvents.optional(),
    enabled: flag('enabled').optional(),
  }),
  'webhooks:deliveries': request({
    endpoint_id: optional(text('endpoint_id')),
    session_id: optional(text('session_id')),
    limit: optional(limit(500)),
  })
    .nullish()
    .transform((v) => v ?? {}),
  'webhooks:attempts': request({ delivery_id: text('delivery_id') }),
  'webhooks:redeliver': request({ delivery_id: text('delivery_id') }),
  'webhooks:send-test': request({ endpoint_id: text('endpoint_id') }),
  'backups:state': noInput,
  'backups:create': noInput,
  'backups:update': request({
    daily_at: z
      .string({ error: 'daily_at must be a time of day like "23:30"' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'daily_at must be a time of day like "23:30"' })
      .optional(),
    copy_to: z.string({ error: 'copy_to must be a folder path' }).max(1024, 'copy_to must be a folder path').nullable().optional(),
  }),
  'backups:restore': request({ file: z.string({ error: 'file must be a backup file path' }).min(1).max(4096) }),
  'support:export-diagnostics': noInput,
  'sessions:reversals': noInput,
  'sessions:acknowledge-reversal': byId,
  'receipts:get': byId,
  'receipts:print': receiptRequest,
  'receipts:save-pdf': receiptRequest,
  'receipts:printers': noInput,
  'refunds:refundable': request({ session_id: text('session_id') }),
  'refunds:create': request(
    {
      session_id: text('session_id'),
      refund_id: optional(refundId),
      amount,
      chain_id: optional(chainId),
      token: optional(tokenSymbol),
      reason: optional(refundReason),
      destination: optional(refundDestination),
      description: optional(refundDescription),
      metadata: optional(metadata),
    },
    'the refund',
  ),
  'refunds:get': byId,
  'refunds:list': refundListFilter,
  'refunds:cancel': byId,
  'refunds:prove': request({ id: text('id'), tx_hash: txHash }),
  'refunds:export-csv': refundListFilter,
  // Owner role, PIN and audit log (#13).
  'settings:language': request({ language: z.enum(['en', 'zh-CN'], { error: 'language must be "en" or "zh-CN"' }) }, 'settings'),
  'owner:status': noInput,
  // Any string: a wrong-looking PIN is a wrong PIN, counted like one (the form is not a hint).
  'owner:unlock': request({ pin: z.string({ error: 'pin must be a string' }).max(64, 'pin must be 6-12 digits') }),
  'owner:lock': noInput,
  'owner:set-pin': request({
    current: optional(z.string({ error: 'current must be a string' }).max(64, 'current must be 6-12 digits')),
    pin: ownerPin(),
  }),
  'owner:reset-pin': request({
    recovery_code: z.string({ error: 'recovery_code must be a string' }).max(64, 'recovery_code is not a recovery code'),
    pin: ownerPin(),
  }),
  'owner:notices': noInput,
  'audit:list': auditFilter,
  'audit:export-csv': filterObject(auditFilterFields),
  'api-server:state': noInput,
  'api-server:update': request({
    enabled: flag('enabled').optional(),
    // Below 1024 needs root on Linux and macOS; 0 ("any free port") would change at every start.
    port: z
      .number({ error: 'port must be a whole number from 1024 to 65535' })
      .int('port must be a whole number from 1024 to 65535')
      .min(1024, 'port must be a whole number from 1024 to 65535')
      .max(65535, 'port must be a whole number from 1024 to 65535')
      .optional(),
    lan: flag('lan').optional(),
  }),
  // #13 devices and tills
  'devices:me': noInput,
  'devices:list': noInput,
  'devices:update': request({ id: text('id'), name: optional(deviceName), till: optional(text('till')) }),
  'devices:revoke': byId,
  'devices:pair': request({ till: optional(text('till')), role_hint: optional(deviceRoleHint) })
    .nullish()
    .transform((v) => v ?? {}),
  'tills:list': noInput,
  'tills:create': request({ name: tillName }),
  'tills:update': request({ id: text('id'), name: tillName }),
  // Tips, shifts and the end-of-day report (#17)
  'tips:request': createSale,
  'tips:current': noInput,
  'tips:answer': request({
    id: text('id'),
    choice: z.enum(['percent', 'custom', 'none'], { error: 'choice must be percent, custom or none' }),
    percent: optional(tipPercent),
    amount: optional(amount),
  }),
  'tips:skip': byId,
  'tips:cancel': byId,
  'shifts:current': noInput,
  'shifts:open': noInput,
  'shifts:close': byId,
  'shifts:list': request({ till: optional(text('till')), limit: optional(limit(100)) })
    .nullish()
    .transform((v) => v ?? {}),
  'reports:end-of-day': endOfDayQuery,
  'reports:end-of-day-csv': endOfDayQuery,
  'reports:end-of-day-print': request({ ...endOfDayFields, layout: optional(receiptLayout) })
    .nullish()
    .transform((v) => v ?? {}),
  // Catalog and cart (#17)
  'products:list': request({ include_inactive: optional(flag('include_inactive')) })
    .nullish()
    .transform((v) => v ?? {}),
  'products:image': byId,
  'products:create': request(productFields, 'the product'),
  'products:update': request(
    {
      id: text('id'),
      name: productName.optional(),
      name_zh: productNameZh,
      price: productFields.price.optional(),
      category: productCategory,
      color: productColor,
      image: productImage,
      tax_rate_bp: taxRateBp.optional(),
      active: flag('active').optional(),
    },
    'the product',
  ),
  'products:delete': byId,
  'products:import-csv': request({
    csv: z.string({ error: 'csv must be the text of a CSV file' }).max(PRODUCT_CSV_MAX_CHARS, 'the CSV file is too large (at most 5 MB)'),
  }),
  'products:export-csv': noInput,
  'sale-mode:get': noInput,
  'sale-mode:set': request({ mode: saleMode }),
  'sessions:export-line-items-csv': sessionSetFilter,
}
