/**
 * Errors in the cashier's words and language (#15). Every code the app can answer with
 * (src-preload/shared/errorCodes.ts) has a sentence here in English and Chinese: the table is a
 * `Record<ErrorCode, …>`, so a code without its sentence does not compile. The screens show the sentence, never
 * the engine's message: that is a developer's detail ("checksum mismatch", "connect ECONNREFUSED", "confirmations
 * must be an integer…"), which the engine writes to its log (handlers/registry.ts) and API clients receive.
 * Plain code (no React, no DOM), so tests run it as it is.
 */
import type { ErrorCode } from '../../../src-preload/shared/errorCodes'
import { isErrorCode } from '../../../src-preload/shared/errorCodes'
import type { Language, Translation } from './define'
import { localize } from './define'

export const ERROR_SENTENCES = {
  // The request itself.
  parameter_invalid: {
    en: 'Something entered here is not accepted. Check the values on this screen, then try again.',
    zh: '这里填写的内容有不被接受的。请检查此页面上的数值后重试。',
  },
  parameter_missing: {
    en: 'Something needed is missing. Fill in every field on this screen, then try again.',
    zh: '缺少必填内容。请填写此页面上的所有字段后重试。',
  },
  parameter_unknown: {
    en: 'The app did not understand this request. Reload the page, then try again.',
    zh: '应用无法识别此请求。请重新加载页面后重试。',
  },
  json_invalid: {
    en: 'The app did not understand this request. Reload the page, then try again.',
    zh: '应用无法识别此请求。请重新加载页面后重试。',
  },
  body_too_large: {
    en: 'This is too large to send. Make it shorter, then try again.',
    zh: '内容太大，无法发送。请缩短后重试。',
  },
  method_not_allowed: {
    en: 'The app did not understand this request. Reload the page, then try again.',
    zh: '应用无法识别此请求。请重新加载页面后重试。',
  },
  unknown_channel: {
    en: 'This screen is newer or older than the app. Reload the page; if it keeps happening, restart StablePay POS.',
    zh: '此页面与应用版本不一致。请重新加载页面；如果一直出现，请重新启动 StablePay POS。',
  },
  resource_missing: {
    en: 'This was not found. It may have been removed; reload the list.',
    zh: '找不到该项目，可能已被删除。请刷新列表。',
  },
  client_gone: {
    en: 'The connection was interrupted. Try again.',
    zh: '连接被中断。请重试。',
  },
  cross_origin_request: {
    en: 'Refused: this request did not come from the app’s own page. Open StablePay POS from its own address.',
    zh: '已拒绝：此请求并非来自应用自己的页面。请从 StablePay POS 自己的地址打开。',
  },
  host_not_allowed: {
    en: 'Refused: the app was opened under an address it does not know. Open the address StablePay POS printed.',
    zh: '已拒绝：应用是通过未知的地址打开的。请打开 StablePay POS 启动时显示的地址。',
  },
  forbidden_sender: {
    en: 'Refused: this window is not one of the app’s own pages.',
    zh: '已拒绝：此窗口不是应用自己的页面。',
  },
  idempotency_key_reused: {
    en: 'This request was already sent with different contents. Start again from the beginning.',
    zh: '此请求已用不同的内容发送过。请从头重新开始。',
  },
  // Signing in.
  session_invalid: {
    en: 'This device is not signed in, or was signed out. Ask the owner for a pairing code.',
    zh: '此设备未登录或已被登出。请向店主索取配对码。',
  },
  token_invalid: {
    en: 'This sign-in link is not valid. Open the address StablePay POS printed when it started.',
    zh: '此登录链接无效。请打开 StablePay POS 启动时显示的地址。',
  },
  pairing_code_invalid: {
    en: 'This pairing code is not valid: it was used already or is more than 10 minutes old. Ask the owner for a new one.',
    zh: '此配对码无效：已被使用或已超过 10 分钟。请向店主索取新的配对码。',
  },
  api_key_invalid: {
    en: 'This API key is not valid. Check it in Settings → API keys.',
    zh: '此 API 密钥无效。请在 设置 → API 密钥 中检查。',
  },
  api_key_missing: {
    en: 'An API key is needed for this. Create one in Settings → API keys.',
    zh: '此操作需要 API 密钥。请在 设置 → API 密钥 中创建。',
  },
  api_key_revoked: {
    en: 'This API key was revoked. Create a new one in Settings → API keys.',
    zh: '此 API 密钥已被撤销。请在 设置 → API 密钥 中新建一个。',
  },
  api_secret_missing: {
    en: 'This API key has no API secret yet. Make one in Settings → API keys, then sign requests with it.',
    zh: '此 API 密钥还没有 API 秘钥。请在 设置 → API 密钥 中生成，然后用它签名请求。',
  },
  signature_missing: {
    en: 'This request must be signed with the key’s API secret, and it was not.',
    zh: '此请求必须用密钥的 API 秘钥签名，但没有签名。',
  },
  signature_invalid: {
    en: 'The request’s signature does not match. Check the API secret the back office uses.',
    zh: '请求签名不匹配。请检查后台使用的 API 秘钥。',
  },
  timestamp_invalid: {
    en: 'The request’s time stamp is not readable. The back office must send the time in seconds.',
    zh: '请求的时间戳无法读取。后台必须以秒为单位发送时间。',
  },
  timestamp_out_of_range: {
    en: 'The request’s time is more than 5 minutes from this computer’s clock. Check the clocks of both computers.',
    zh: '请求的时间与这台电脑的时钟相差超过 5 分钟。请检查两台电脑的时钟。',
  },
  nonce_invalid: {
    en: 'The request’s nonce must be 16 to 64 characters long.',
    zh: '请求的一次性随机串长度必须为 16 至 64 个字符。',
  },
  nonce_reused: {
    en: 'This request was already received once (the same nonce), so it was refused as a replay.',
    zh: '此请求已经收到过（相同的一次性随机串），因此作为重放请求被拒绝。',
  },
  merchant_mismatch: {
    en: 'This belongs to another shop.',
    zh: '此项目属于另一家店铺。',
  },
  livemode_mismatch: {
    en: 'This belongs to the other mode (test or real money). Switch the mode in Settings to see it.',
    zh: '此项目属于另一种模式（测试或真实收款）。请在设置中切换模式后查看。',
  },
  device_local: {
    en: 'This device works on this computer only and cannot be changed from here.',
    zh: '此设备只在这台电脑上使用，不能在这里更改。',
  },
  // The owner PIN (#13).
  owner_required: { en: 'This needs the owner: enter the owner PIN first.', zh: '此操作需要店主：请先输入店主 PIN。' },
  pin_wrong: { en: 'Wrong PIN.', zh: 'PIN 错误。' },
  pin_locked_out: { en: 'Too many wrong PINs: wait, then try again.', zh: 'PIN 错误次数过多：请稍后再试。' },
  pin_set_on_machine: {
    en: 'The first owner PIN is set on the computer StablePay POS runs on: in its desktop window, or with "ownerPin" in the config file (then restart).',
    zh: '首个店主 PIN 需在运行 StablePay POS 的电脑上设置：在其桌面窗口中，或在配置文件中填写 "ownerPin"（然后重启）。',
  },
  pin_already_set: {
    en: 'An owner PIN is already set. Change it from Settings, with the current PIN.',
    zh: '店主 PIN 已经设置。请在设置中用当前 PIN 修改。',
  },
  recovery_code_wrong: { en: 'Wrong recovery code.', zh: '恢复码错误。' },
  recovery_code_unavailable: {
    en: 'There is no recovery code to use: no owner PIN was set with one.',
    zh: '没有可用的恢复码：设置店主 PIN 时没有生成恢复码。',
  },
  // Setting the shop up.
  setup_required: {
    en: 'The shop is not set up yet. Finish the first-run setup first.',
    zh: '店铺尚未设置。请先完成首次设置。',
  },
  address_invalid: {
    en: 'This is not a valid address. Copy it again from the shop’s wallet: 0x followed by 40 letters and digits.',
    zh: '这不是有效的地址。请从店铺钱包重新复制：0x 加 40 位字母和数字。',
  },
  xpub_invalid: {
    en: 'This is not a valid extended public key. Copy it again from the wallet’s export; it starts with xpub.',
    zh: '这不是有效的扩展公钥。请从钱包导出处重新复制；它以 xpub 开头。',
  },
  receive_not_wallet: {
    en: 'This address is a contract (for example a token’s own address), not a wallet: money sent there could be lost. Paste the address of the shop’s wallet.',
    zh: '这个地址是一个合约（例如代币本身的地址），不是钱包：转到这里的钱可能会丢失。请粘贴店铺钱包的地址。',
  },
  chain_unavailable: {
    en: 'This network cannot be reached right now. Check its RPC address in Settings, then try again.',
    zh: '目前无法连接此网络。请在设置中检查其 RPC 地址后重试。',
  },
  api_server_fixed: {
    en: 'The API server is set when StablePay POS starts here and cannot be switched from this screen.',
    zh: 'API 服务器在 StablePay POS 启动时已设定，不能在此页面切换。',
  },
  // Amounts, currencies and rates.
  amount_invalid: { en: 'This is not a valid amount. Type it again.', zh: '金额无效。请重新输入。' },
  amount_too_precise: {
    en: 'This amount has more decimals than the currency allows. Round it, then try again.',
    zh: '金额的小数位数超过该货币允许的位数。请取整后重试。',
  },
  amount_too_large: { en: 'This amount is too large.', zh: '金额过大。' },
  amount_not_positive: { en: 'The amount must be more than zero.', zh: '金额必须大于零。' },
  image_invalid: {
    en: 'This picture cannot be used. Choose a PNG, JPEG or WebP image.',
    zh: '无法使用此图片。请选择 PNG、JPEG 或 WebP 格式的图片。',
  },
  image_too_large: {
    en: 'This picture is too large. Choose one under 48 KB (a small square picture is enough).',
    zh: '图片太大。请选择小于 48 KB 的图片（小的正方形图片即可）。',
  },
  tips_off: { en: 'Tips are switched off for this shop. The owner turns them on in Settings → Tips.', zh: '本店未开启小费。店主可在 设置 → 小费 中开启。' },
  tip_request_closed: {
    en: 'This tip question was already answered or has ended. Charge again to ask once more.',
    zh: '此小费询问已被回答或已结束。请重新收款以再次询问。',
  },
  tip_too_large: { en: 'The tip cannot be more than the price.', zh: '小费不能超过价格。' },
  shift_open: { en: 'A shift is already open at this till. Close it first.', zh: '此收银台已有一个班次在进行中。请先结束该班次。' },
  shift_closed: { en: 'There is no open shift at this till. Open one first.', zh: '此收银台没有进行中的班次。请先开班。' },
  amount_mismatch: {
    en: 'The total does not match the items, tax, shipping, tip and discount. Check them, then try again.',
    zh: '总金额与商品、税费、运费、小费和折扣不符。请检查后重试。',
  },
  amount_space_exhausted: {
    en: 'Other open sales already ask for this exact price, and it cannot be told apart from them. Finish or cancel one of them first, or take this sale in another token.',
    zh: '其他未完成的收款已在使用这个金额，无法与它们区分。请先完成或取消其中一笔，或改用其他代币收款。',
  },
  decimals_invalid: {
    en: 'The token’s number of decimals is not valid. Check the token in Settings.',
    zh: '代币的小数位数无效。请在设置中检查该代币。',
  },
  currency_unsupported: {
    en: 'This currency is not supported. Choose another one in Settings.',
    zh: '不支持此货币。请在设置中选择其他货币。',
  },
  rate_invalid: {
    en: 'This is not a valid exchange rate: type a number above zero.',
    zh: '汇率无效：请输入大于零的数字。',
  },
  rate_unavailable: {
    en: 'There is no exchange rate for this currency yet. Set one in Settings.',
    zh: '此货币尚无汇率。请在设置中设定汇率。',
  },
  rate_stale: {
    en: 'The exchange rate is too old to sell with. Refresh it or set one in Settings.',
    zh: '汇率已过期，无法收款。请在设置中刷新或手动设定汇率。',
  },
  rate_provider_unreachable: {
    en: 'The exchange rate service cannot be reached. Check the internet connection, or set a rate by hand in Settings.',
    zh: '无法连接汇率服务。请检查网络连接，或在设置中手动设定汇率。',
  },
  rate_provider_invalid: {
    en: 'The exchange rate service answered something unusable. Try again later, or set a rate by hand in Settings.',
    zh: '汇率服务返回的内容无法使用。请稍后再试，或在设置中手动设定汇率。',
  },
  // Sales.
  network_offline: {
    en: 'That network cannot be reached right now, so a payment on it would not be seen. Try again when it is back, or choose another network.',
    zh: '该网络目前无法连接，在其上的付款将无法被看到。请在恢复后再试，或选择其他网络。',
  },
  session_not_cancellable: {
    en: 'Only a sale still waiting for payment can be cancelled.',
    zh: '只有仍在等待付款的收款才能取消。',
  },
  session_not_reversed: {
    en: 'This sale’s payment was not reversed, so there is nothing to acknowledge.',
    zh: '这笔收款的付款没有被撤回，无需确认。',
  },
  illegal_transition: {
    en: 'This sale has changed meanwhile. Look at its current state, then try again.',
    zh: '这笔收款的状态已经改变。请查看其当前状态后重试。',
  },
  order_completed: { en: 'This order reference was already paid.', zh: '此订单号已经付款。' },
  order_conflict: {
    en: 'This order reference is already used by a different sale.',
    zh: '此订单号已被另一笔收款使用。',
  },
  simulation_unavailable: {
    en: 'A customer payment can only be simulated on the test network.',
    zh: '只能在测试网络上模拟顾客付款。',
  },
  // Payments that match no sale.
  transfer_already_assigned: {
    en: 'This payment was already assigned to a sale.',
    zh: '这笔付款已经分配给了一笔收款。',
  },
  transfer_orphaned: {
    en: 'This payment is no longer on the chain (the network reorganised), so it cannot be assigned.',
    zh: '这笔付款已不在链上（区块链发生重组），无法分配。',
  },
  transfer_token_mismatch: {
    en: 'This payment is in another token than the sale asks for, so it cannot be assigned to it.',
    zh: '这笔付款的代币与该收款要求的不同，无法分配给它。',
  },
  // Refunds.
  session_not_refundable: {
    en: 'Only a paid sale can be refunded.',
    zh: '只有已付款的收款才能退款。',
  },
  refund_exceeds_received: {
    en: 'This is more than what is left to refund on this sale.',
    zh: '金额超过了这笔收款剩余可退的金额。',
  },
  refund_conflict: {
    en: 'Another refund of this sale changed meanwhile. Reload the sale, then try again.',
    zh: '这笔收款的另一笔退款刚刚有变化。请重新加载后再试。',
  },
  refund_not_pending: {
    en: 'This refund is no longer waiting to be sent.',
    zh: '这笔退款已不再等待发送。',
  },
  refund_not_cancelable: {
    en: 'This refund can no longer be cancelled.',
    zh: '这笔退款已无法取消。',
  },
  refund_proof_mismatch: {
    en: 'This transaction does not send the refund: check the amount, the token and the customer’s address.',
    zh: '此交易与该退款不符：请检查金额、代币和顾客地址。',
  },
  refund_proof_not_found: {
    en: 'This transaction was not found on the network. Check the hash, or wait a moment and try again.',
    zh: '在该网络上找不到此交易。请检查交易哈希，或稍后再试。',
  },
  destination_is_shop: {
    en: 'This is the shop’s own address. Enter the customer’s address.',
    zh: '这是店铺自己的地址。请输入顾客的地址。',
  },
  destination_checksum_invalid: {
    en: 'Not a valid address: a character is wrong. Copy it again from the customer’s wallet.',
    zh: '地址无效：有字符错误。请从顾客的钱包重新复制。',
  },
  // Webhooks.
  endpoint_disabled: {
    en: 'This webhook endpoint is turned off. Turn it on first.',
    zh: '此 Webhook 端点已关闭。请先开启。',
  },
  // Files.
  export_in_browser: {
    en: 'In a browser, use the download link to save this file.',
    zh: '在浏览器中，请使用下载链接保存此文件。',
  },
  print_in_browser: {
    en: 'In a browser, print with the browser’s own print button.',
    zh: '在浏览器中，请使用浏览器自带的打印功能。',
  },
  print_failed: {
    en: 'The receipt could not be printed. Check the printer, then try again.',
    zh: '收据无法打印。请检查打印机后重试。',
  },
  backup_not_found: {
    en: 'This backup was not found. Reload the list of backups.',
    zh: '找不到此备份。请刷新备份列表。',
  },
  backup_invalid: {
    en: 'This file is not a StablePay POS backup, or it is damaged.',
    zh: '此文件不是 StablePay POS 的备份，或已损坏。',
  },
  backup_failed: {
    en: 'The backup could not be made. Check the free space on the backup disk, then try again.',
    zh: '无法完成备份。请检查备份磁盘的剩余空间后重试。',
  },
  restore_running: {
    en: 'A restore is running. Wait for it to finish.',
    zh: '正在恢复备份。请等待完成。',
  },
  shop_stopped: {
    en: 'StablePay POS is stopping or restarting. Wait a moment, then try again.',
    zh: 'StablePay POS 正在停止或重新启动。请稍候再试。',
  },
  // Storage.
  storage_full: {
    en: 'The disk that holds the shop’s data is full, so this was not saved. Free some space on this computer, then try again; sales already saved are safe.',
    zh: '存放店铺数据的磁盘已满，这次操作没有保存。请清理这台电脑的磁盘空间后再试；已保存的收款不受影响。',
  },
  storage_unavailable: {
    en: 'The shop’s data cannot be saved: the disk that holds it has become read-only or stopped answering, so this was not saved. Sales already saved are safe. Check the disk (was it unplugged?), then restart StablePay POS.',
    zh: '店铺数据无法保存：存放数据的磁盘已变为只读或没有响应，这次操作没有保存。已保存的收款不受影响。请检查磁盘（是否被拔出？），然后重新启动 StablePay POS。',
  },
  internal_error: {
    en: 'Something went wrong inside StablePay POS. Try again; if it keeps happening, the owner can send the support file (Settings → Backups and support).',
    zh: 'StablePay POS 内部出错。请重试；如果一直出现，店主可以发送支持文件（设置 → 备份与支持）。',
  },
  // Made by the page itself.
  connection_lost: {
    en: 'The app is not reachable. Check that StablePay POS is running.',
    zh: '无法连接到应用。请确认 StablePay 收银台正在运行。',
  },
  bad_response: {
    en: 'The app answered something unexpected. Reload the page, then try again.',
    zh: '应用返回了意外的内容。请重新加载页面后重试。',
  },
  unexpected: {
    en: 'That did not work. Try again; if it keeps happening, ask the owner.',
    zh: '操作没有完成。请重试；如果一直出现，请联系店主。',
  },
} as const satisfies Record<ErrorCode, Translation>

/** A code this page does not know (a newer app behind it): a plain sentence naming the code for support. */
const OTHER: Translation = {
  en: 'That did not work ({code}). Try again; if it keeps happening, ask the owner.',
  zh: '操作没有完成（{code}）。请重试；如果一直出现，请联系店主。',
}

export function errorText(language: Language, error: { code: string; message?: string }): string {
  if (isErrorCode(error.code)) return localize(ERROR_SENTENCES[error.code], language)
  return localize(OTHER, language, { code: error.code })
}

/**
 * Any thrown value as the sentence to show: an engine error (a BridgeError, or anything with one of the app's
 * codes) by its code; anything else (a bug in the page) as "that did not work", never its raw text.
 */
export function describeError(language: Language, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  // Only a code shaped like the app's (a newer one this page does not know yet) is named; a Node or browser code
  // ("ECONNREFUSED", a DOMException's number) is not the cashier's business.
  return errorText(language, { code: typeof code === 'string' && /^[a-z]+(_[a-z]+)+$/.test(code) ? code : 'unexpected' })
}
