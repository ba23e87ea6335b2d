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
  // #13 devices: a device signed out, and a till reached over the shop's network.
  'app.signedOut': {
    en: 'This device is not signed in, or was signed out. Ask the owner for a pairing code (Settings → Devices and tills), or open the address StablePay POS printed when it started.',
    zh: '本设备未登录或已被退出。请向店主索取配对码（设置 → 设备与收银台），或打开 StablePay 收银台启动时显示的地址。',
  },
  'app.plainHttp': {
    en: 'Connected over plain HTTP on the local network: use it only on the shop’s own network.',
    zh: '正通过本地网络上的普通 HTTP 连接：请只在店内自己的网络中使用。',
  },

  'nav.sale': { en: 'Sale', zh: '收款' },
  'nav.history': { en: 'History', zh: '历史记录' },
  'nav.webhooks': { en: 'Webhooks', zh: '回调通知' },
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
  'error.pin_set_on_machine': {
    en: 'The first owner PIN is set on the computer StablePay POS runs on: in its desktop window, or with "ownerPin" in the config file (then restart).',
    zh: '首个店主 PIN 需在运行 StablePay POS 的电脑上设置：在其桌面窗口中，或在配置文件中填写 "ownerPin"（然后重启）。',
  },
  'error.storage_full': {
    en: 'The disk that holds the shop’s data is full, so this was not saved. Free some space on this computer, then try again; sales already saved are safe.',
    zh: '存放店铺数据的磁盘已满，这次操作没有保存。请清理这台电脑的磁盘空间后再试；已保存的收款不受影响。',
  },
  'error.storage_unavailable': {
    en: 'The shop’s data cannot be saved: the disk that holds it has become read-only or stopped answering, so this was not saved. Sales already saved are safe. Check the disk (was it unplugged?), then restart StablePay POS.',
    zh: '店铺数据无法保存：存放数据的磁盘已变为只读或没有响应，这次操作没有保存。已保存的收款不受影响。请检查磁盘（是否被拔出？），然后重新启动 StablePay POS。',
  },
  'error.amount_space_exhausted': {
    en: 'Other open sales already ask for this exact price, and it cannot be told apart from them. Finish or cancel one of them first, or take this sale in another token.',
    zh: '其他未完成的收款已在使用这个金额，无法与它们区分。请先完成或取消其中一笔，或改用其他代币收款。',
  },
  // Health at the till (#15):
  'error.network_offline': {
    en: 'That network cannot be reached right now, so a payment on it would not be seen. Try again when it is back, or choose another network.',
    zh: '该网络目前无法连接，在其上的付款将无法被看到。请在恢复后再试，或选择其他网络。',
  },
  'error.other': {
    en: 'That did not work ({code}). Try again; if it keeps happening, ask the owner.',
    zh: '操作没有完成（{code}）。请重试；如果一直出现，请联系店主。',
  },
  'error.address_invalid': {
    en: 'This is not a valid address. Copy it again from the shop’s wallet: 0x followed by 40 letters and digits.',
    zh: '这不是有效的地址。请从店铺钱包重新复制：0x 加 40 位字母和数字。',
  },
  'error.xpub_invalid': {
    en: 'This is not a valid extended public key. Copy it again from the wallet’s export; it starts with xpub.',
    zh: '这不是有效的扩展公钥。请从钱包导出处重新复制；它以 xpub 开头。',
  },
  'error.receive_not_wallet': {
    en: 'This address is a contract (for example a token’s own address), not a wallet: money sent there could be lost. Paste the address of the shop’s wallet.',
    zh: '这个地址是一个合约（例如代币本身的地址），不是钱包：转到这里的钱可能会丢失。请粘贴店铺钱包的地址。',
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
