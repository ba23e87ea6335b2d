import { defineStrings } from './define'

/** Strings shared by every screen: navigation, statuses, generic actions. */
export const commonStrings = defineStrings({
  'app.name': { en: 'StablePay POS', zh: 'StablePay 收银台' },
  'app.loading': { en: 'Starting…', zh: '正在启动…' },
  'app.unreachable': {
    en: 'The app is not reachable. Check that StablePay POS is running; this screen reconnects by itself.',
    zh: '无法连接到应用。请确认 StablePay 收银台正在运行；本页面会自动重新连接。',
  },
  'app.retry': { en: 'Try again', zh: '重试' },

  'nav.sale': { en: 'Sale', zh: '收款' },
  'nav.history': { en: 'History', zh: '历史记录' },
  'nav.webhooks': { en: 'Webhooks', zh: 'Webhooks' },
  'nav.settings': { en: 'Settings', zh: '设置' },
  'nav.customerDisplay': { en: 'Customer display', zh: '顾客显示屏' },
  'nav.main': { en: 'Main menu', zh: '主菜单' },

  'mode.test': { en: 'Test mode', zh: '测试模式' },
  'mode.live': { en: 'Live', zh: '正式' },

  'language.switchTo': { en: '中文', zh: 'English' },
  'language.switchToLabel': { en: 'Switch to Chinese', zh: '切换到英文' },

  'status.PENDING': { en: 'Waiting for payment', zh: '等待付款' },
  'status.PROCESSING': { en: 'Payment detected', zh: '已检测到付款' },
  'status.COMPLETED': { en: 'Paid', zh: '已付款' },
  'status.EXPIRED': { en: 'Expired', zh: '已过期' },
  'status.CANCELLED': { en: 'Cancelled', zh: '已取消' },

  'action.cancel': { en: 'Cancel', zh: '取消' },
  'action.back': { en: 'Back', zh: '返回' },
  'action.next': { en: 'Next', zh: '下一步' },
  'action.copy': { en: 'Copy', zh: '复制' },
  'action.copied': { en: 'Copied', zh: '已复制' },

  'placeholder.failed': {
    en: 'This screen could not be loaded. Reload the page to try again.',
    zh: '此页面无法加载。请重新加载页面再试。',
  },

  // Engine errors a cashier meets, by code; any other code shows the engine's own (English) message.
  'error.connection_lost': {
    en: 'The app is not reachable. Check that StablePay POS is running.',
    zh: '无法连接到应用。请确认 StablePay 收银台正在运行。',
  },
  'error.rate_unavailable': {
    en: 'There is no exchange rate for this currency yet. Set one in Settings.',
    zh: '此货币尚无汇率。请在设置中设定汇率。',
  },
  'error.rate_stale': {
    en: 'The exchange rate is too old to sell with. Refresh it or set one in Settings.',
    zh: '汇率已过期，无法收款。请在设置中刷新或手动设定汇率。',
  },
  'error.session_not_cancellable': {
    en: 'Only a sale still waiting for payment can be cancelled.',
    zh: '只有仍在等待付款的收款才能取消。',
  },
  'error.order_completed': { en: 'This order reference was already paid.', zh: '此订单号已经付款。' },
  // The owner PIN (#13).
  'error.owner_required': { en: 'This needs the owner: enter the owner PIN first.', zh: '此操作需要店主：请先输入店主 PIN。' },
  'error.pin_wrong': { en: 'Wrong PIN.', zh: 'PIN 错误。' },
  'error.pin_locked_out': { en: 'Too many wrong PINs: wait, then try again.', zh: 'PIN 错误次数过多：请稍后再试。' },
  'error.recovery_code_wrong': { en: 'Wrong recovery code.', zh: '恢复码错误。' },
  'error.storage_full': {
    en: 'The disk that holds the shop’s data is full, so this was not saved. Free some space on this computer, then try again; sales already saved are safe.',
    zh: '存放店铺数据的磁盘已满，这次操作没有保存。请清理这台电脑的磁盘空间后再试；已保存的收款不受影响。',
  },
  'error.amount_space_exhausted': {
    en: 'Other open sales already ask for this exact price, and it cannot be told apart from them. Finish or cancel one of them first, or take this sale in another token.',
    zh: '其他未完成的收款已在使用这个金额，无法与它们区分。请先完成或取消其中一笔，或改用其他代币收款。',
  },
  'countdown.label': { en: 'Time left to pay', zh: '剩余付款时间' },

  // The reversal alert on every staff screen (components/ReversalBanner.tsx).
  'reversal.label': { en: 'Reversed payments', zh: '被撤回的付款' },
  'reversal.title': {
    en: { one: '{n} paid sale lost its payment', other: '{n} paid sales lost their payment' },
    zh: '{n} 笔已付款的收款被撤回了付款',
  },
  'reversal.body': {
    en: 'Sale {order} ({amount} {currency}) was paid, but the network reorganised and the payment is no longer on the chain. It is left out of the totals until the payment comes back.',
    zh: '订单 {order}（{amount} {currency}）曾已付款，但区块链发生重组，这笔付款已不在链上。在付款重新出现之前，它不计入合计。',
  },
  'reversal.onSale': {
    en: 'The network reorganised and this payment is no longer on the chain: do not hand over anything more for it.',
    zh: '区块链发生重组，这笔付款已不在链上：请勿再为此交付任何商品。',
  },
  'reversal.open': { en: 'Open in History', zh: '在历史记录中查看' },
  'reversal.acknowledge': { en: 'Acknowledge', zh: '知道了' },
  'reversal.ackFailed': {
    en: 'Could not mark it as seen. Check that StablePay POS is running, then try again.',
    zh: '无法标记为已读。请确认 StablePay 收银台正在运行，然后重试。',
  },
})
