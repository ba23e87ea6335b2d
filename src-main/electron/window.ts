import { join } from 'node:path'
import { BrowserWindow, screen, shell } from 'electron'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** Secure defaults for every window: sandboxed, isolated, no Node, no navigation, no new windows. */
export function createWindow(options: { route?: string; display?: Electron.Display; title: string }): BrowserWindow {
  const bounds = options.display?.workArea
  const win = new BrowserWindow({
    title: options.title,
    width: 1280,
    height: 800,
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : {}),
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  // Links (block explorers) open in the user's browser; the app itself never opens windows.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  const file = join(__dirname, '../renderer/index.html')
  void win.loadFile(file, options.route ? { hash: options.route } : undefined)
  return win
}

/** The customer display goes on a second screen when there is one. */
export function secondDisplay(): Electron.Display | undefined {
  const primary = screen.getPrimaryDisplay()
  return screen.getAllDisplays().find((d) => d.id !== primary.id)
}

export { CSP }
