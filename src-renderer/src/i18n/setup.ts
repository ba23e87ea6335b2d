import { defineStrings } from './define'

/** The first-run wizard. */
export const setupStrings = defineStrings({
  'setup.title': { en: 'Set up your shop', zh: '设置您的店铺' },
  'setup.intro': {
    en: 'Five short steps. Everything can be changed later in Settings.',
    zh: '只需五步。之后都可以在设置中修改。',
  },
  'setup.step': { en: 'Step {n} of {m}', zh: '第 {n} 步，共 {m} 步' },

  'setup.shop.title': { en: 'Your shop', zh: '您的店铺' },
  'setup.shop.name': { en: 'Shop name', zh: '店铺名称' },
  'setup.shop.namePlaceholder': { en: 'e.g. Corner Café', zh: '例如：街角咖啡' },
  'setup.shop.currency': { en: 'Prices are in', zh: '标价货币' },
  'setup.shop.currencyHelp': {
    en: 'The currency on your price tags. A price in another currency than USD is converted at the reference rate when you charge, and the rate is locked for that sale.',
    zh: '您的价签所用的货币。非美元价格会在收款时按参考汇率换算，并为该笔收款锁定汇率。',
  },

  'setup.receive.title': { en: 'Where the money goes', zh: '收款地址' },
  'setup.receive.address': { en: 'One receiving address', zh: '固定收款地址' },
  'setup.receive.addressHelp': {
    en: 'Every payment goes to this address of your wallet. Sales are told apart by tiny differences in the amount.',
    zh: '所有付款都进入您钱包的这个地址。系统通过金额的细微差别区分每笔收款。',
  },
  'setup.receive.xpub': { en: 'A new address for each sale (xpub)', zh: '每笔收款一个新地址（xpub）' },
  'setup.receive.xpubHelp': {
    en: "Paste the extended public key of m/44'/60'/0'/0 from your wallet. It lets the app see addresses, never spend.",
    zh: "粘贴钱包中 m/44'/60'/0'/0 的扩展公钥。应用只能查看地址，无法动用资金。",
  },
  'setup.receive.addressLabel': { en: 'Receiving address', zh: '收款地址' },
  'setup.receive.xpubLabel': { en: 'Extended public key (xpub)', zh: '扩展公钥（xpub）' },
  'setup.receive.valid': { en: 'Valid address:', zh: '地址有效：' },
  'setup.receive.derived': {
    en: 'Check that your wallet shows these same first addresses:',
    zh: '请核对您的钱包显示的前几个地址是否与下列相同：',
  },
  'setup.receive.checking': { en: 'Checking…', zh: '正在检查…' },
  'setup.receive.never': {
    en: 'The app holds no keys. Never type a private key or recovery phrase here.',
    zh: '本应用不保存任何私钥。切勿在此输入私钥或助记词。',
  },

  'setup.networks.title': { en: 'Networks and tokens', zh: '网络和代币' },
  'setup.networks.help': {
    en: 'Customers can pay with any token you tick. The app watches each network itself.',
    zh: '顾客可以使用您勾选的任何代币付款。应用会直接监控每个网络。',
  },
  'setup.networks.mainnets': { en: 'Real money (mainnets)', zh: '真实资金（主网）' },
  'setup.networks.testnets': { en: 'Test networks (worthless test tokens)', zh: '测试网络（无价值的测试代币）' },
  'setup.networks.none': { en: 'Tick at least one token.', zh: '请至少勾选一种代币。' },

  'setup.mode.title': { en: 'Test or live', zh: '测试或正式' },
  'setup.mode.test': { en: 'Test mode', zh: '测试模式' },
  'setup.mode.testHelp': {
    en: 'Sales use the test networks you ticked. Good for practising at the counter.',
    zh: '收款使用您勾选的测试网络。适合在柜台练习。',
  },
  'setup.mode.live': { en: 'Live', zh: '正式' },
  'setup.mode.liveHelp': { en: 'Sales use the real networks you ticked, with real money.', zh: '收款使用您勾选的主网，涉及真实资金。' },
  'setup.mode.needMainnet': {
    en: 'Live mode needs at least one real network: go back and tick one, or start in test mode.',
    zh: '正式模式至少需要一个主网：请返回勾选，或先使用测试模式。',
  },
  'setup.mode.needTestnet': {
    en: 'Test mode needs at least one test network: go back and tick one, or choose live.',
    zh: '测试模式至少需要一个测试网络：请返回勾选，或选择正式模式。',
  },
  'setup.finish': { en: 'Open the till', zh: '开始收款' },
  'setup.saving': { en: 'Saving…', zh: '正在保存…' },
})
