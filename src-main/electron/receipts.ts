/**
 * Receipts (#16) in the desktop app: the shell hooks that print a laid-out
 * receipt silently to the chosen printer and make its PDF, with Electron's
 * webContents. Wire them into startApp's `shell` (src-main/electron/index.ts)
 * beside chooseExportFile: `shell: { chooseExportFile, ...receiptShellHooks() }`.
 */
import { BrowserWindow } from 'electron'
import type { PrinterInfo } from '../../src-preload/contract'
import type { ReceiptShellHooks } from '../engine/receipts'
import type { ReceiptDocument } from '../engine/receipts/layout'

/** The receipt in a hidden window: a data: URL of the self-contained page, scripts off (it has none). */
async function receiptWindow(document: ReceiptDocument): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, spellcheck: false },
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(document.html, 'utf8').toString('base64')}`)
  return win
}

async function withReceipt<T>(document: ReceiptDocument, use: (win: BrowserWindow) => Promise<T>): Promise<T> {
  const win = await receiptWindow(document)
  try {
    return await use(win)
  } finally {
    win.destroy()
  }
}

export function receiptShellHooks(): Required<ReceiptShellHooks> {
  return {
    printReceipt: (document, printer) =>
      withReceipt(
        document,
        (win) =>
          new Promise<void>((resolve, reject) => {
            win.webContents.print(
              {
                silent: true,
                printBackground: false,
                color: false,
                margins: { marginType: 'none' },
                ...(printer ? { deviceName: printer } : {}),
                // The roll's width and the receipt's length (microns), as its @page asks.
                ...(document.width_mm && document.height_mm
                  ? { pageSize: { width: document.width_mm * 1000, height: document.height_mm * 1000 } }
                  : {}),
              },
              (success, reason) => (success ? resolve() : reject(new Error(`the printer refused the receipt: ${reason}`))),
            )
          }),
      ),
    receiptPdf: (document) =>
      withReceipt(document, async (win) => {
        const pdf = await win.webContents.printToPDF({
          preferCSSPageSize: true,
          printBackground: false,
          margins: { top: 0, bottom: 0, left: 0, right: 0 },
        })
        return new Uint8Array(pdf)
      }),
    listPrinters: async (): Promise<PrinterInfo[]> => {
      const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed())
      if (!win) return []
      const printers = await win.webContents.getPrintersAsync()
      return printers.map((p) => ({
        name: p.name,
        is_default: (p as Electron.PrinterInfo & { isDefault?: boolean }).isDefault === true,
      }))
    },
  }
}
