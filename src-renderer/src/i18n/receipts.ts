import { defineStrings } from './define'

/** Receipts (#16): the Print buttons (paid screen, History drawer), the customer's receipt QR, Settings → Receipts. */
export const receiptStrings = defineStrings({
  'receipts.print': { en: 'Print receipt', zh: '打印收据' },
  'receipts.printing': { en: 'Printing…', zh: '正在打印…' },
  'receipts.printed': { en: 'Receipt sent to the printer', zh: '收据已发送到打印机' },
  'receipts.savePdf': { en: 'Save as PDF', zh: '另存为 PDF' },
  'receipts.saved': { en: 'Receipt saved', zh: '收据已保存' },
  'receipts.failed': { en: 'The receipt could not be printed: {message}', zh: '收据无法打印：{message}' },
  'receipts.scan': { en: 'Scan for your receipt', zh: '扫码获取收据' },
  'receipts.settings.title': { en: 'Receipts', zh: '收据' },
  'receipts.settings.address': { en: 'Shop address on receipts', zh: '收据上的店铺地址' },
  'receipts.settings.addressHelp': { en: 'Up to 4 lines. Leave empty to print none.', zh: '最多 4 行；留空则不打印地址。' },
  'receipts.settings.save': { en: 'Save address', zh: '保存地址' },
  'receipts.settings.saved': { en: 'Saved', zh: '已保存' },
  'receipts.settings.layout': { en: 'Paper', zh: '纸张' },
  'receipts.settings.layout.58mm': { en: '58 mm roll', zh: '58 毫米热敏纸' },
  'receipts.settings.layout.80mm': { en: '80 mm roll', zh: '80 毫米热敏纸' },
  'receipts.settings.layout.a4': { en: 'A4 sheet', zh: 'A4 纸' },
  'receipts.settings.auto': { en: 'Print automatically after each paid sale', zh: '每笔付款完成后自动打印' },
  'receipts.settings.printer': { en: 'Printer', zh: '打印机' },
  'receipts.settings.defaultPrinter': { en: 'The system default printer', zh: '系统默认打印机' },
  'receipts.settings.browserPrinter': {
    en: 'In the browser, the print dialog chooses the printer (and offers "Save as PDF").',
    zh: '在浏览器中由打印对话框选择打印机（也可“另存为 PDF”）。',
  },
})
