import type { ReceiptLayout } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'

/** The desktop app: the preload's IPC transport is there. A browser (serve mode) has only HTTP. */
export function inDesktop(): boolean {
  return typeof window !== 'undefined' && window.stablepay !== undefined
}

// Receipts printed by "print automatically" in this window: a paid screen shown again (remounted) prints nothing twice.
const autoPrinted = new Set<string>()

export function firstAutoPrint(saleId: string): boolean {
  if (autoPrinted.has(saleId)) return false
  autoPrinted.add(saleId)
  return true
}

/**
 * Prints a paid sale's receipt. The desktop app prints silently to the chosen
 * printer (receipts:print); a browser is told to use its own print
 * (print_in_browser), so the receipt page for that paper is loaded in a
 * hidden frame and printed with the browser's dialog and the page's print
 * stylesheet (@page size).
 */
export async function printReceipt(id: string, layout: ReceiptLayout): Promise<'printed' | 'browser'> {
  try {
    await api['receipts:print']({ id, layout })
    return 'printed'
  } catch (error) {
    if (!(error instanceof BridgeError) || error.code !== 'print_in_browser') throw error
  }
  await printInBrowser(id, layout)
  return 'browser'
}

const FRAME_ID = 'receipt-print-frame'

/** The receipt page in an invisible same-origin frame, printed once it has loaded. */
function printInBrowser(id: string, layout: ReceiptLayout): Promise<void> {
  document.getElementById(FRAME_ID)?.remove()
  const frame = document.createElement('iframe')
  frame.id = FRAME_ID
  frame.title = 'receipt'
  frame.setAttribute('aria-hidden', 'true')
  frame.tabIndex = -1
  // Laid out (a display:none frame may not print), but out of sight and out of the way.
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;visibility:hidden'
  return new Promise<void>((resolve, reject) => {
    frame.addEventListener('load', () => {
      const win = frame.contentWindow
      if (!win || !win.document.querySelector('.receipt')) {
        reject(new Error(win?.document.title || 'receipt not found'))
        return
      }
      win.focus()
      // print() returns when the dialog closes; the frame stays until the next print (removing it may cancel the job).
      win.print()
      resolve()
    })
    frame.src = `/receipt/${encodeURIComponent(id)}?layout=${layout}`
    document.body.appendChild(frame)
  })
}

/** Desktop only: "Save as PDF" through the shell's save dialog and webContents.printToPDF. */
export async function saveReceiptPdf(id: string, layout: ReceiptLayout): Promise<boolean> {
  return (await api['receipts:save-pdf']({ id, layout })).saved
}
