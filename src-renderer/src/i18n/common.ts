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
