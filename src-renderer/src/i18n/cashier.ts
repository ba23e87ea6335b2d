import { defineStrings } from './define'

/** The counter: the cashier's sale screen and the customer display. */
export const cashierStrings = defineStrings({
  'cashier.title': { en: 'New sale', zh: '新的收款' },
  'cashier.amount': { en: 'Amount', zh: '金额' },
  'cashier.orderRef': { en: 'Order reference (optional)', zh: '订单号（可选）' },
  'cashier.orderRefPlaceholder': { en: 'e.g. table 12', zh: '例如：12 号桌' },
  'cashier.payWith': { en: 'Customer pays with', zh: '顾客付款方式' },
  'cashier.charge': { en: 'Charge', zh: '收款' },
  'cashier.clear': { en: 'Clear', zh: '清除' },
  'cashier.backspace': { en: 'Delete last digit', zh: '删除最后一位' },
  'cashier.keypad': { en: 'Keypad', zh: '数字键盘' },
  'cashier.keyboardHint': {
    en: 'Keyboard works too: digits and . to type, Enter to charge, Esc to clear.',
    zh: '也可以使用键盘：输入数字和小数点，回车收款，Esc 清除。',
  },
  'cashier.noNetworks': {
    en: 'No network is switched on for {mode}. Turn one on in Settings.',
    zh: '{mode}下没有启用任何网络。请在设置中启用。',
  },
  'cashier.creating': { en: 'Preparing the payment…', zh: '正在生成付款码…' },

  'cashier.scanToPay': { en: 'Scan with a wallet to pay', zh: '请用钱包扫码付款' },
  'cashier.qrLabel': { en: 'Payment QR code for {amount} on {network}', zh: '{network} 上 {amount} 的付款二维码' },
  'cashier.price': { en: 'Price {fiat}', zh: '价格 {fiat}' },
  'cashier.rate': { en: 'Rate 1 {currency} = {rate} USD, locked {time}', zh: '汇率 1 {currency} = {rate} 美元，锁定于 {time}' },
  'cashier.order': { en: 'Order {order}', zh: '订单 {order}' },
  'cashier.orderNumber': { en: 'Order no. {number}', zh: '单号 {number}' },
  'cashier.waiting': { en: 'Waiting for payment', zh: '等待付款' },
  'cashier.detected': {
    en: { one: 'Payment detected, {done}/{n} confirmation', other: 'Payment detected, {done}/{n} confirmations' },
    zh: '已检测到付款，{done}/{n} 个确认',
  },
  'cashier.paid': { en: 'Paid', zh: '已付款' },
  'cashier.received': { en: '{amount} received', zh: '已收到 {amount}' },
  'cashier.newSaleIn': { en: 'New sale in {s} s', zh: '{s} 秒后开始新的收款' },
  'cashier.keepOpen': { en: 'Keep this open', zh: '保持此页面' },
  'cashier.keptOpen': { en: 'Kept open. Start the next sale when ready.', zh: '已保持。准备好后开始下一笔收款。' },
  'cashier.newSale': { en: 'New sale', zh: '新的收款' },
  'cashier.expiredTitle': { en: 'Expired', zh: '已过期' },
  'cashier.expired': { en: 'The time to pay ran out. Nothing was received.', zh: '付款时间已到，未收到任何款项。' },
  'cashier.expiredUnderpaid': {
    en: 'The time to pay ran out before the rest arrived. {paid} was received: refund it from History.',
    zh: '付款时间已到，剩余款项未到账。已收到 {paid}：请在历史记录中退款。',
  },
  'cashier.cancelledTitle': { en: 'Cancelled', zh: '已取消' },
  'cashier.cancelled': { en: 'This sale was cancelled. Nothing more will be accepted for it.', zh: '此笔收款已取消，不再接受付款。' },
  'cashier.underpaidTitle': { en: 'Not enough received', zh: '付款不足' },
  'cashier.underpaid': { en: '{remaining} still to pay', zh: '还需支付 {remaining}' },
  'cashier.underpaidHelp': {
    en: 'The customer sent {paid}. Scan this new code to pay the rest.',
    zh: '顾客已支付 {paid}。请扫描新的二维码支付剩余金额。',
  },
  'cashier.overpaid': {
    en: 'Overpaid: the customer sent {extra} more than asked. Refund the difference from History.',
    zh: '多付：顾客多付了 {extra}。请在历史记录中退还差额。',
  },
  'cashier.paidLate': { en: 'Paid after the time ran out; accepted.', zh: '在付款时间结束后付款，已接受。' },
  'cashier.multiplePayments': { en: 'Paid in more than one transfer.', zh: '分多笔转账支付。' },
  'cashier.paidAfterCancel': {
    en: 'A payment arrived after this sale was cancelled: refund it from History.',
    zh: '此笔收款取消后又收到了付款：请在历史记录中退款。',
  },
  // Refunds (#11): the "refund it from History" messages lead to the sale's refund form.
  'cashier.refundInHistory': { en: 'Refund in History', zh: '在历史记录中退款' },
  'cashier.cancelSale': { en: 'Cancel sale', zh: '取消收款' },
  'cashier.cannotCancelTitle': { en: 'This sale can no longer be cancelled', zh: '此笔收款已无法取消' },
  'cashier.cannotCancel': {
    en: 'A payment was detected. Only a sale still waiting for payment can be cancelled. Wait for it to complete, then refund it from History if needed.',
    zh: '已检测到付款。只有仍在等待付款的收款才能取消。请等待完成，如有需要再在历史记录中退款。',
  },
  'cashier.cancelConfirmTitle': { en: 'Cancel this sale?', zh: '取消此笔收款？' },
  'cashier.cancelConfirmPaid': {
    en: '{paid} was already received for this sale. If you cancel, that money must be refunded from History.',
    zh: '此笔收款已收到 {paid}。如果取消，这笔钱需要在历史记录中退款。',
  },
  'cashier.cancelConfirm': { en: 'Yes, cancel the sale', zh: '是，取消收款' },
  'cashier.keepWaiting': { en: 'Keep waiting', zh: '继续等待' },
  'cashier.simulate': { en: 'Simulate customer payment (test chain)', zh: '模拟顾客付款（测试链）' },
  'cashier.simulateExact': { en: 'Exact amount', zh: '足额' },
  'cashier.simulateUnder': { en: 'Too little', zh: '少付' },
  'cashier.simulateOver': { en: 'Too much', zh: '多付' },
  'cashier.simulateSent': { en: 'Test transfer sent: {tx}', zh: '已发送测试转账：{tx}' },
  'cashier.refreshing': { en: 'Reconnected; checking the latest status…', zh: '已重新连接，正在获取最新状态…' },

  'customer.welcome': { en: 'Welcome', zh: '欢迎光临' },
  'customer.idle': { en: 'Your total will appear here.', zh: '应付金额将显示在这里。' },
  'customer.scan': { en: 'Scan to pay', zh: '扫码付款' },
  'customer.sendExactly': { en: 'Send exactly this amount on {network}', zh: '请在 {network} 上准确支付此金额' },
  'customer.thanks': { en: 'Thank you!', zh: '谢谢惠顾！' },
  'customer.remaining': { en: 'Please pay the remaining {remaining}', zh: '请支付剩余的 {remaining}' },
  'customer.expired': { en: 'This payment request expired. Please ask the cashier.', zh: '此付款请求已过期，请联系收银员。' },
  'customer.cancelled': { en: 'This payment was cancelled.', zh: '此笔付款已取消。' },

  // "Payment incoming": seen in the pool, not yet in a block (both screens).
  'cashier.incoming': { en: 'Payment sent — waiting for the network', zh: '付款已发送 — 等待网络确认' },
  'cashier.incomingTx': { en: 'Transaction {tx}', zh: '交易 {tx}' },
  'cashier.incomingDropped': {
    en: 'The payment sent ({tx}) was dropped by the network. Still waiting for payment.',
    zh: '已发送的付款（{tx}）被网络丢弃。仍在等待付款。',
  },
  'cashier.incomingReplaced': {
    en: 'The payment sent ({tx}) was replaced by another transaction. Still waiting for payment.',
    zh: '已发送的付款（{tx}）被另一笔交易替换。仍在等待付款。',
  },
  'cashier.incomingTimeout': {
    en: 'The payment sent ({tx}) is taking long to reach a block. It still counts if it arrives.',
    zh: '已发送的付款（{tx}）迟迟未进入区块。如果到账，仍会计入。',
  },
  'cashier.incomingFailed': {
    en: 'The payment sent ({tx}) failed on the network. Still waiting for payment.',
    zh: '已发送的付款（{tx}）在链上执行失败。仍在等待付款。',
  },

  // The exchange rate a sale in another currency than USD uses: its date, and a warning before it goes stale (#14).
  'cashier.rateFrom': { en: '{currency} rate from {time}', zh: '{currency} 汇率发布于 {time}' },
  'cashier.rateSetOn': { en: '{currency} rate set by hand on {time}', zh: '{currency} 汇率由店主于 {time} 手动设置' },
  'cashier.rateStaleSoon': {
    en: 'It goes out of date at {time}; after that, sales in {currency} are refused. Ask the owner to check the till’s internet connection.',
    zh: '该汇率将于 {time} 过期，之后以 {currency} 计价的收款将被拒绝。请店主检查收银机的网络连接。',
  },
  'cashier.rateMissing': {
    en: 'No current {currency} rate: a sale in {currency} will be refused. Ask the owner to connect the till to the internet, or to set the rate by hand in Settings.',
    zh: '没有有效的 {currency} 汇率：以 {currency} 计价的收款将被拒绝。请店主将收银机连上网络，或在设置中手动设置汇率。',
  },

  // The till's clock against a chain's block times (beyond 2 minutes).
  'cashier.clockAhead': {
    en: "This till's clock is {off} ahead of the {network} network. Payments are still matched by the network's time; set the computer's clock right.",
    zh: '本机时钟比 {network} 网络快 {off}。付款仍按网络时间匹配；请校正电脑的时钟。',
  },
  'cashier.clockBehind': {
    en: "This till's clock is {off} behind the {network} network. Payments are still matched by the network's time; set the computer's clock right.",
    zh: '本机时钟比 {network} 网络慢 {off}。付款仍按网络时间匹配；请校正电脑的时钟。',
  },
  'cashier.clockMinutes': { en: { one: '{n} minute', other: '{n} minutes' }, zh: '{n} 分钟' },
  'cashier.clockHours': { en: { one: '{n} hour', other: '{n} hours' }, zh: '{n} 小时' },
  'cashier.clockDays': { en: { one: '{n} day', other: '{n} days' }, zh: '{n} 天' },

  // Health at the till (#15): the engine or a sale's network cannot be reached, and when it is back.
  'health.serverDown': {
    en: 'No connection to StablePay POS. Payments are not being checked right now: do not hand over goods until this sale shows Paid.',
    zh: '与 StablePay POS 的连接已断开。目前无法核对付款：在本笔收款显示“已付款”之前，请勿交付商品。',
  },
  'health.chainDown': {
    en: '{network} cannot be reached: payments on it cannot be seen right now. Do not pay on it yet.',
    zh: '无法连接 {network}：暂时无法看到该网络上的付款。请先不要在该网络上付款。',
  },
  'health.back': { en: 'Connection is back. Statuses are up to date.', zh: '连接已恢复，状态已更新。' },
  // Never stuck (#15): park, the open-sales tray, a cancel that asks, charge again.
  'cashier.park': { en: 'Park — next customer', zh: '挂起 — 下一位顾客' },
  'cashier.sessionHint': {
    en: 'Esc asks before cancelling this sale. Park keeps it waiting below while you serve the next customer.',
    zh: '按 Esc 会先确认再取消此笔收款。挂起会让它在下方继续等待，同时为下一位顾客收款。',
  },
  'cashier.cancelConfirmQr': {
    en: 'The customer may be paying this code right now. A payment that arrives after cancelling must be refunded.',
    zh: '顾客可能正在扫码付款。取消后到账的付款需要退款。',
  },
  'cashier.cancelConfirmHint': { en: 'Enter: cancel the sale · Esc: keep it', zh: '回车：取消收款 · Esc：保留' },
  'cashier.chargeAgain': { en: 'Charge {amount} again', zh: '再次收款 {amount}' },
  'cashier.largeTitle': { en: 'A large amount: charge it?', zh: '金额较大：确认收款？' },
  'cashier.largeText': { en: 'Charge {amount}? Check the amount with the customer.', zh: '收款 {amount}？请与顾客核对金额。' },
  'cashier.largeConfirm': { en: 'Yes, charge it', zh: '确认收款' },
  'cashier.largeBack': { en: 'Change the amount', zh: '修改金额' },
  'cashier.largeHint': { en: 'Enter: charge · Esc: change the amount', zh: '回车：收款 · Esc：修改金额' },
  'unmatched.text': {
    en: 'A payment of {amount} arrived that matches no open sale.',
    zh: '收到一笔 {amount} 的付款，与任何未完成的收款都不匹配。',
  },
  'unmatched.assign': { en: 'It’s this sale: {amount}', zh: '属于这笔收款：{amount}' },
  'unmatched.none': {
    en: 'No open sale could take it: the owner can assign it in History.',
    zh: '没有可对应的未完成收款：店主可在历史记录中处理。',
  },
  'unmatched.dismiss': { en: 'Hide', zh: '隐藏' },
  'tray.title': { en: 'Open sales', zh: '未完成的收款' },
  'tray.detected': { en: 'Payment detected', zh: '已检测到付款' },
  'health.qrOffline': { en: 'Network unreachable — do not pay yet', zh: '网络无法连接 — 请暂勿付款' },
  // The payment page (#12): a pay-by-link sale's address, to send by chat or read over the phone.
  'cashier.copyPayLink': { en: 'Copy payment link', zh: '复制付款链接' },
  'cashier.payLinkCopied': { en: 'Link copied', zh: '链接已复制' },
})
