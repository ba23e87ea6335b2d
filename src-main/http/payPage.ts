/**
 * The payment page (#12): what `GET /pay/:id` shows the customer, as one pure
 * function of the session, the way the public receipt page is made
 * (engine/receipts/layout.ts). The whole page is rendered here, in the
 * browser's language (Accept-Language); the small script the page loads
 * (src-renderer/src/pay/payPage.ts, built to /pay.js) only switches between
 * the token/network options, copies, counts down and polls
 * `GET /pay/:id/status`. Every change of state reloads the page (or goes to
 * success_url), so what a state looks like is decided in one place: here.
 */
import type { PaymentOption, PaymentSession } from '../../src-preload/contract'
import QRCode from 'qrcode'
import { escapeHtml, qrSvg, receiptMoney, receiptTokenAmount } from '../engine/receipts/layout'

export type PayLanguage = 'en' | 'zh'

/** What the customer is looking at; the status route answers the same word, so the script knows when to reload. */
export type PayState = 'waiting' | 'confirming' | 'underpaid' | 'paid' | 'expired' | 'cancelled'

const STRINGS = {
  title: { en: 'Pay {shop}', zh: '向 {shop} 付款' },
  test: { en: 'TEST - not a real payment', zh: '测试模式，非真实付款' },
  due: { en: 'Amount due', zh: '应付金额' },
  price: { en: 'Price {fiat}', zh: '价格 {fiat}' },
  choose: { en: 'Pay with', zh: '支付方式' },
  scan: { en: 'Scan with your wallet app', zh: '用钱包应用扫码' },
  openWallet: { en: 'Open in wallet', zh: '在钱包中打开' },
  address: { en: 'Send to this address', zh: '收款地址' },
  amount: { en: 'Exact amount', zh: '准确金额' },
  only: { en: 'Send only {token} on {network}, exactly this amount.', zh: '请仅通过 {network} 网络发送 {token}，金额须完全一致。' },
  copy: { en: 'Copy', zh: '复制' },
  copied: { en: 'Copied', zh: '已复制' },
  waiting: { en: 'Waiting for your payment', zh: '等待付款' },
  confirming: { en: 'Payment received, confirming on the network…', zh: '已收到付款，正在网络上确认…' },
  underpaid: { en: 'Part of the amount arrived. Please send the rest shown here.', zh: '已收到部分金额，请支付此处显示的余额。' },
  paid: { en: 'Paid. Thank you!', zh: '已付款，谢谢！' },
  continue: { en: 'Continue', zh: '继续' },
  expired: { en: 'This payment request has expired.', zh: '此付款请求已过期。' },
  cancelled: { en: 'This payment was cancelled.', zh: '此付款已取消。' },
  back: { en: 'Back to the shop', zh: '返回商家' },
  expiresIn: { en: 'Expires in {time}', zh: '{time} 后过期' },
  notFoundTitle: { en: 'Payment not found', zh: '找不到此付款' },
  notFound: { en: 'There is no payment at this address. Check the link you were sent.', zh: '此地址没有付款请求，请检查您收到的链接。' },
} as const

type StringKey = keyof typeof STRINGS

export function payWord(language: PayLanguage, key: StringKey, values: Record<string, string> = {}): string {
  return STRINGS[key][language].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')
}

/** The browser's language from Accept-Language: Chinese when it prefers zh to en, else English. */
export function payLanguage(acceptLanguage: string | undefined): PayLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((l) => l.q > 0 && (l.tag.startsWith('zh') || l.tag.startsWith('en')))
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked[0]?.tag.startsWith('zh') ? 'zh' : 'en'
}

/** What the page needs beyond the session: kept out of the session so this stays a pure function. */
export interface PayContext {
  shopName: string
  language: PayLanguage
  /** Seconds until the session expires, by the till's clock (the phone's clock may be anything). */
  secondsLeft: number
  successUrl: string | null
  cancelUrl: string | null
  /** Where the page's script is served (the built renderer's /pay.js). */
  scriptUrl: string
}

export function payState(session: PaymentSession): PayState {
  switch (session.status) {
    case 'COMPLETED':
      return 'paid'
    case 'EXPIRED':
      return 'expired'
    case 'CANCELLED':
      return 'cancelled'
    default: {
      const paid = BigInt(session.amount_paid_base_units || '0')
      const remaining = BigInt(session.amount_remaining_base_units || '0')
      if (paid > 0n && remaining > 0n) return 'underpaid'
      return session.status === 'PROCESSING' ? 'confirming' : 'waiting'
    }
  }
}

/**
 * The options the customer may pay with now: after an underpayment only the
 * remainder; once a payment is seen, only the token and network it came on;
 * else every option the sale offers.
 */
export function payOptions(session: PaymentSession, state: PayState): PaymentOption[] {
  if (state === 'underpaid') return session.remainder_option ? [session.remainder_option] : []
  const first = session.transactions.find((t) => t.state !== 'orphaned')
  if (first) {
    const match = session.payment_options.find(
      (o) => o.chain_id === first.chain_id && o.token_address.toLowerCase() === first.token_address.toLowerCase(),
    )
    if (match) return [match]
  }
  return session.payment_options
}

/** "14:59", "1:02:03". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}

const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace'

/** One style sheet for every state (the route allows exactly this text by its hash: no other style runs). */
export const PAY_STYLE =
  '*{box-sizing:border-box}html{background:#f3f4f6;color:#111;-webkit-text-size-adjust:100%}' +
  `body{margin:0;padding:12px;font:16px/1.45 ${SANS}}` +
  '.card{max-width:28rem;margin:0 auto;background:#fff;border-radius:14px;padding:16px 18px 20px;box-shadow:0 1px 4px rgba(0,0,0,.15)}' +
  'header{text-align:center}.shop{font-size:1.15rem;margin:0;font-weight:600}' +
  '.test{margin:4px 0 0;color:#92400e;font-weight:700;font-size:.85rem}' +
  '.due{margin:10px 0 0;color:#555;font-size:.9rem}.amount{margin:0;font-size:2rem;font-weight:700;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}' +
  '.price{margin:0;color:#555}' +
  '.choices{border:0;margin:12px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:8px;justify-content:center}' +
  '.choices legend{width:100%;text-align:center;color:#555;font-size:.9rem;padding:0;margin-bottom:6px}' +
  '.choice{display:flex;align-items:center;gap:6px;border:1px solid #d1d5db;border-radius:999px;padding:6px 12px;cursor:pointer}' +
  '.choice:has(input:checked){border-color:#1d4ed8;background:#eff6ff}' +
  '.option{margin-top:12px;text-align:center}.option[hidden]{display:none}' +
  '.qr{display:block;margin:0 auto}.scan{margin:4px 0 0;color:#555;font-size:.9rem}' +
  '.wallet{display:block;margin:12px 0 0;padding:14px;border-radius:10px;background:#1d4ed8;color:#fff;font-weight:600;text-decoration:none;font-size:1.05rem}' +
  '.facts{margin:12px 0 0;text-align:left}.fact{padding:8px 0;border-top:1px solid #eee}' +
  '.fact dt{color:#555;font-size:.85rem}.fact dd{margin:2px 0 0;display:flex;gap:8px;align-items:center;justify-content:space-between}' +
  `.value{font:15px/1.35 ${MONO};overflow-wrap:anywhere;min-width:0}` +
  '.copy{flex:none;border:1px solid #d1d5db;background:#fff;border-radius:8px;padding:6px 10px;font:inherit;font-size:.9rem;color:#111}' +
  '.only{margin:10px 0 0;color:#92400e;font-size:.9rem}' +
  '.status{margin:12px 0 0;padding:10px;border-radius:10px;background:#f3f4f6;text-align:center;font-weight:600}' +
  '.status[data-state="confirming"]{background:#eff6ff;color:#1e3a8a}.status[data-state="underpaid"]{background:#fffbeb;color:#92400e}' +
  '.countdown{margin:6px 0 0;text-align:center;color:#555;font-variant-numeric:tabular-nums}' +
  '.ended{text-align:center;margin:18px 0 0}.ended .mark{font-size:3rem;line-height:1;margin:0}' +
  '.ended .words{font-size:1.25rem;font-weight:600;margin:8px 0 0}' +
  '.link{display:inline-block;margin:14px 0 0;padding:12px 18px;border-radius:10px;background:#1d4ed8;color:#fff;text-decoration:none;font-weight:600}'

function head(language: PayLanguage, title: string): string {
  return (
    `<!doctype html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(title)}</title><style>${PAY_STYLE}</style></head>`
  )
}

/** A QR as many whole pixels a module as fit in `size` px (sharp edges scan from further away). */
function qrBlock(option: PaymentOption, language: PayLanguage, size: number): string {
  const modules = qrModules(option.payment_uri)
  const pixels = Math.max(1, Math.floor(size / modules)) * modules
  return qrSvg(option.payment_uri, `${pixels}px`, payWord(language, 'scan'))
}

/** Modules across the QR qrSvg draws (the code plus its quiet zone of 4 on each side). */
function qrModules(value: string): number {
  return QRCode.create(value, { errorCorrectionLevel: 'M' }).modules.size + 8
}

function optionLabel(option: PaymentOption): string {
  return `${option.token} · ${option.network}`
}

function optionSection(option: PaymentOption, index: number, visible: boolean, language: PayLanguage): string {
  const w = (key: StringKey, values?: Record<string, string>) => escapeHtml(payWord(language, key, values))
  const copy = (value: string, name: string) =>
    `<button type="button" class="copy" data-copy="${escapeHtml(value)}" data-copied="${w('copied')}" data-testid="copy-${name}">${w('copy')}</button>`
  return (
    `<section class="option" data-option="${index}" data-chain-id="${option.chain_id}" data-token="${escapeHtml(option.token)}"${visible ? '' : ' hidden'}>` +
    qrBlock(option, language, 260) +
    `<p class="scan">${w('scan')}</p>` +
    `<a class="wallet" href="${escapeHtml(option.payment_uri)}" data-testid="open-wallet">${w('openWallet')}</a>` +
    '<dl class="facts">' +
    `<div class="fact"><dt>${w('amount')}</dt><dd><span class="value" data-testid="pay-token-amount">${escapeHtml(option.amount)} ${escapeHtml(option.token)}</span>${copy(option.amount, 'amount')}</dd></div>` +
    `<div class="fact"><dt>${w('address')}</dt><dd><span class="value" data-testid="pay-address">${escapeHtml(option.address)}</span>${copy(option.address, 'address')}</dd></div>` +
    '</dl>' +
    `<p class="only">${w('only', { token: option.token, network: option.network })}</p>` +
    '</section>'
  )
}

/** The page for `session`, as a whole HTML document. */
export function payDocument(session: PaymentSession, context: PayContext): string {
  const { language } = context
  const w = (key: StringKey, values?: Record<string, string>) => escapeHtml(payWord(language, key, values))
  const state = payState(session)
  const options = payOptions(session, state)
  const open = state === 'waiting' || state === 'confirming' || state === 'underpaid'
  const first = options[0]
  const fiat = receiptMoney(session.amount, session.currency)
  // The headline is what the customer sends; the price in the shop's currency stays beside it.
  const headline = open && first ? receiptTokenAmount(first.amount, first.token) : fiat
  const showPrice = open && first !== undefined

  // Status and countdown first: on a phone they stay in sight above the QR.
  let body = open
    ? `<p class="status" role="status" aria-live="polite" data-state="${state}" data-testid="pay-status">${w(state)}</p>` +
      `<p class="countdown" data-testid="pay-countdown">${w('expiresIn', { time: formatCountdown(context.secondsLeft) })}</p>`
    : ''
  if (open) {
    if (options.length > 1) {
      body +=
        `<fieldset class="choices"><legend>${w('choose')}</legend>` +
        options
          .map(
            (o, i) =>
              `<label class="choice"><input type="radio" name="option" value="${i}"${i === 0 ? ' checked' : ''} data-testid="choose-option">${escapeHtml(optionLabel(o))}</label>`,
          )
          .join('') +
        '</fieldset>'
    }
    body += options.map((o, i) => optionSection(o, i, i === 0, language)).join('')
  } else {
    const mark = state === 'paid' ? '✓' : '×'
    const link =
      state === 'paid'
        ? context.successUrl
          ? `<a class="link" href="${escapeHtml(context.successUrl)}" data-testid="pay-continue">${w('continue')}</a>`
          : ''
        : context.cancelUrl
          ? `<a class="link" href="${escapeHtml(context.cancelUrl)}" data-testid="pay-back">${w('back')}</a>`
          : ''
    body +=
      `<div class="ended" role="status" data-testid="pay-status" data-state="${state}">` +
      `<p class="mark" aria-hidden="true">${mark}</p><p class="words">${w(state)}</p>${link}</div>`
  }

  return (
    head(language, payWord(language, 'title', { shop: context.shopName })) +
    '<body>' +
    `<main class="card pay" data-testid="pay-page" data-state="${state}" data-seconds-left="${Math.max(0, Math.floor(context.secondsLeft))}"` +
    ` data-status-url="/pay/${encodeURIComponent(session.id)}/status"` +
    ` data-expires-label="${w('expiresIn', { time: '{time}' })}"` +
    // A cancelled sale stays cancelled (a payment after it is the shop's to refund): no way on to success_url.
    (context.successUrl && state !== 'cancelled' ? ` data-success-url="${escapeHtml(context.successUrl)}"` : '') +
    '>' +
    `<header><h1 class="shop">${escapeHtml(context.shopName)}</h1>` +
    (session.livemode ? '' : `<p class="test">${w('test')}</p>`) +
    `<p class="due">${w('due')}</p><p class="amount" data-testid="pay-amount">${escapeHtml(headline)}</p>` +
    (showPrice ? `<p class="price" data-testid="pay-price">${w('price', { fiat })}</p>` : '') +
    '</header>' +
    body +
    '</main>' +
    `<script type="module" src="${escapeHtml(context.scriptUrl)}"></script>` +
    '</body></html>'
  )
}

/** The same page's 404, in the browser's language: says nothing about whether any sale exists. */
export function payNotFoundDocument(language: PayLanguage): string {
  return (
    head(language, payWord(language, 'notFoundTitle')) +
    `<body><main class="card" data-testid="pay-not-found"><header><h1 class="shop">${escapeHtml(payWord(language, 'notFoundTitle'))}</h1></header>` +
    `<p>${escapeHtml(payWord(language, 'notFound'))}</p></main></body></html>`
  )
}
