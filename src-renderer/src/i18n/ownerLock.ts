import { defineStrings } from './define'

/** The owner PIN, Lock and the cashier's notice (#13): on every staff screen, so in the main dictionary. */
export const ownerLockStrings = defineStrings({
  'setup.pin.title': { en: 'Owner PIN', zh: '店主 PIN' },
  'nav.audit': { en: 'Audit log', zh: '审计日志' },
  'lock.lock': { en: 'Lock', zh: '锁定' },
  'lock.lockHelp': { en: 'Back to the cashier role: owner screens ask for the PIN again.', zh: '回到收银员角色：再次打开店主页面需要输入 PIN。' },
  'lock.owner': { en: 'Owner', zh: '店主' },

  'pin.unlockTitle': { en: 'Owner PIN', zh: '店主 PIN' },
  'pin.unlockIntro': { en: 'This screen is for the owner. Enter the owner PIN.', zh: '此页面仅限店主。请输入店主 PIN。' },
  'pin.label': { en: 'PIN', zh: 'PIN' },
  'pin.unlock': { en: 'Unlock', zh: '解锁' },
  'pin.forgot': { en: 'Forgot the PIN?', zh: '忘记 PIN？' },
  'pin.triesLeft': { en: { one: '{n} try left before a lockout.', other: '{n} tries left before a lockout.' }, zh: '再错 {n} 次将被锁定。' },
  'pin.lockedOut': {
    en: 'Too many wrong PINs. Try again after {time}, or use the recovery code.',
    zh: 'PIN 错误次数过多。请在 {time} 之后再试，或使用恢复码。',
  },
  'pin.setTitle': { en: 'Set the owner PIN', zh: '设置店主 PIN' },
  'pin.setIntro': {
    en: 'Owner screens (settings, history, webhooks, refunds) will ask for this PIN; the cashier can still take sales without it. Use 6 to 12 digits.',
    zh: '店主页面（设置、历史记录、Webhooks、退款）将需要此 PIN；收银员无需 PIN 即可收款。请使用 6 到 12 位数字。',
  },
  'pin.new': { en: 'New PIN', zh: '新 PIN' },
  'pin.confirm': { en: 'New PIN again', zh: '再次输入新 PIN' },
  'pin.current': { en: 'Current PIN', zh: '当前 PIN' },
  'pin.save': { en: 'Set PIN', zh: '设置 PIN' },
  'pin.change': { en: 'Change PIN', zh: '更改 PIN' },
  'pin.changed': { en: 'The PIN is changed.', zh: 'PIN 已更改。' },
  'pin.format': { en: 'The PIN is 6 to 12 digits.', zh: 'PIN 为 6 到 12 位数字。' },
  'pin.mismatch': { en: 'The two PINs differ.', zh: '两次输入的 PIN 不一致。' },

  'recovery.resetTitle': { en: 'Reset the PIN', zh: '重设 PIN' },
  'recovery.resetIntro': {
    en: 'Enter the recovery code shown when the PIN was set, and a new PIN. (Without the code: set "ownerPin" in the config file and restart.)',
    zh: '请输入设置 PIN 时显示的恢复码，以及新的 PIN。（没有恢复码：在配置文件中设置 "ownerPin" 并重启。）',
  },
  'recovery.code': { en: 'Recovery code', zh: '恢复码' },
  'recovery.reset': { en: 'Reset PIN', zh: '重设 PIN' },
  'recovery.shownTitle': { en: 'Write down the recovery code', zh: '请记下恢复码' },
  'recovery.shownIntro': {
    en: 'If the PIN is forgotten, this code sets a new one. It is shown only now: write it down and keep it away from the till.',
    zh: '如果忘记 PIN，可用此码设置新 PIN。此码只显示这一次：请写下来，并存放在收银台以外的地方。',
  },
  'recovery.done': { en: 'I have written it down', zh: '我已记下' },

  'notice.receiveChanged': {
    en: 'The receiving address was changed at {time}: payments now go to {after} (before: {before}). If the owner did not do this, stop taking payments and call them.',
    zh: '收款地址已于 {time} 更改：现在付款将转入 {after}（之前：{before}）。如果不是店主所为，请停止收款并联系店主。',
  },
  'notice.xpub': { en: 'a new xpub wallet', zh: '新的 xpub 钱包' },
  'notice.none': { en: 'none', zh: '无' },
})
