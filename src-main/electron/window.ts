import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BrowserWindow, screen, shell } from 'electron'
import type { Rect } from './shell'
import { CASHIER_DEFAULT, customerPlacement } from './shell'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

const RENDERER_FILE = join(__dirname, '../renderer/index.html')

/** Every window gets these: sandboxed, isolated, no Node, only the contract's preload. */
const SECURE_PREFERENCES: Electron.WebPreferences = {
  preload: join(__dirname, '../preload/index.js'),
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
}

/** The app's own page (any route), loaded from this build's renderer folder. */
export function isAppPage(url: string): boolean {
  try {
    const target = new URL(url)
    return target.protocol === 'file:' && resolve(fileURLToPath(target)) === resolve(RENDERER_FILE)
  } catch {
    return false
  }
}

/** The one window the renderer may open itself: the customer display, from the app's own page. */
export function isCustomerDisplayUrl(url: string): boolean {
  return isAppPage(url) && new URL(url).hash === '#/customer'
}

/** Secure defaults for every window: no navigation away from the app, no other windows, links to the browser. */
function harden(win: BrowserWindow): void {
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isCustomerDisplayUrl(url)) {
      const place = customerPlacement(screen)
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          title: 'StablePay POS: customer',
          autoHideMenuBar: true,
          ...place.bounds,
          fullscreen: place.fullscreen,
          webPreferences: SECURE_PREFERENCES,
        },
      }
    }
    // Links (block explorers) open in the user's browser.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('did-create-window', (child) => harden(child))
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
}

export interface WindowOptions {
  route?: string
  title: string
  /** Where and how big (shell.ts decides: remembered, or the customer's screen). */
  bounds?: Partial<Rect>
  fullscreen?: boolean
  maximized?: boolean
  kiosk?: boolean
}

export function createWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: options.title,
    ...CASHIER_DEFAULT,
    ...options.bounds,
    fullscreen: options.fullscreen ?? false,
    kiosk: options.kiosk ?? false,
    show: false,
    autoHideMenuBar: true,
    webPreferences: SECURE_PREFERENCES,
  })
  win.once('ready-to-show', () => {
    if (options.maximized) win.maximize()
    win.show()
  })
  harden(win)
  void win.loadFile(RENDERER_FILE, options.route ? { hash: options.route } : undefined)
  return win
}

export { CSP }
