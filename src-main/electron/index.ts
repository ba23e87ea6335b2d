/**
 * The thin Electron shell: windows with secure defaults, the IPC wiring of the
 * one contract to the engine's handler registry, the REST API when the owner
 * turned it on, and quitting cleanly. Its decisions live in shell.ts (tested in
 * Node with Electron's API passed in); this file only hands them the real objects.
 */
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, screen, session } from 'electron'
import type { Channel } from '../../src-preload/contract'
import { CHANNELS, IPC, PUSH_EVENTS } from '../../src-preload/contract'
import type { App } from '../app'
import { startApp } from '../app'
import { useNativeBinding } from '../engine/db/nativeBinding'
import { logLocation, startLogging } from '../engine/log'
import { showStartFailure } from './startFailure'
import { loadConfig } from '../engine/config'
import { DesktopApi } from '../http/desktopApi'
import { LOCAL_CALLER } from '../engine/handlers'
import { desktopSecretBox } from './secretBox'
import type { WindowState } from './shell'
import {
  claimSingleInstance,
  customerPlacement,
  followCustomerScreen,
  desktopDataDir,
  focusWindow,
  applyKiosk,
  kioskMayHaveChanged,
  kioskWanted,
  quitCleanly,
  restoredBounds,
  secondDisplay,
  trackWindowState,
} from './shell'
import { chooseSqliteBinding, SqliteBindingError } from './sqliteBinding'
import { receiptShellHooks } from './receipts'
import { startAutoUpdate } from './updates'
import { createWindow, CSP, isAppPage, isCustomerDisplayUrl } from './window'

const channels = new Set<string>(CHANNELS)
/** The cashier window's size and position, kept in the shop's settings table. */
const SETTING_WINDOW = 'desktop.cashier_window'

export async function runDesktop(): Promise<void> {
  let cashier: BrowserWindow | null = null
  if (!claimSingleInstance(app, () => focusWindow(cashier))) return
  await app.whenReady()
  try {
    useNativeBinding(
      chooseSqliteBinding({
        versions: process.versions,
        platform: process.platform,
        arch: process.arch,
        packaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        root: app.getAppPath(),
      }),
    )
  } catch (error) {
    if (!(error instanceof SqliteBindingError)) throw error
    dialog.showErrorBox('StablePay POS cannot start', error.message)
    app.exit(1)
    return
  }
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  const dataDir = desktopDataDir(process.env, app.getPath('userData'))
  // The desktop app logs to its data folder's logs/ (Settings → Support exports them).
  let stopLogging: () => Promise<void> = async () => undefined
  const api = new DesktopApi({ rendererDir: join(__dirname, '../renderer') })
  let shop: App
  try {
    stopLogging = await startLogging({ dataDir })
    // A config file applied at start, as serve mode's --config (a managed install, the _electron tests).
    const config = process.env.STABLEPAY_CONFIG ? loadConfig(process.env.STABLEPAY_CONFIG).config : undefined
    shop = await startApp({
      dataDir,
      config,
      secretBox: desktopSecretBox(dataDir),
      apiServer: api,
      shell: {
        chooseExportFile: async (suggestedName) => {
          const extension = suggestedName.split('.').pop() ?? ''
          const choice = await dialog.showSaveDialog({ defaultPath: suggestedName, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] })
          return choice.canceled || !choice.filePath ? null : choice.filePath
        },
        // Receipts (#16): silent printing to the chosen printer and "Save as PDF" (print / printToPDF).
        ...receiptShellHooks(),
      },
    })
  } catch (error) {
    // Not a silent exit: the owner is told why, and where the log is.
    showStartFailure(dialog, error, { dataDir, logDir: logLocation()?.dir ?? null })
    await stopLogging()
    app.exit(1)
    return
  }
  // Quitting stops, in order: the REST API, the watcher and webhook sender and SQLite (shop.stop), the log.
  quitCleanly(app, [() => api.stop(), () => shop.stop(), () => stopLogging()])
  await api.start(shop)

  // Kiosk mode follows the owner's Settings switch (and the restored shop's), as soon as it is saved.
  const followKiosk = () => applyKiosk(cashier, kioskWanted(process.argv, process.env, shop.engine.settings.get()))
  ipcMain.handle(IPC.invoke, async (event, channel: unknown, input: unknown) => {
    // Only the app's own pages may call the engine (not a frame that somehow loaded something else).
    if (!isAppPage(event.senderFrame?.url ?? '')) return { ok: false, error: { code: 'forbidden_sender', message: 'not an app page' } }
    if (typeof channel !== 'string' || !channels.has(channel))
      return { ok: false, error: { code: 'unknown_channel', message: `no channel "${String(channel)}"` } }
    // The desktop window is one device, "local", on Till 1 (seeded by migration 0005).
    const result = await shop.handlers.invoke(channel as Channel, input as never, LOCAL_CALLER)
    if (kioskMayHaveChanged(channel, result.ok)) followKiosk()
    return result
  })

  const saved = shop.engine.settings.read<WindowState>(SETTING_WINDOW)
  const place = restoredBounds(saved, screen.getAllDisplays())
  cashier = createWindow({ title: 'StablePay POS', bounds: place.bounds, maximized: place.maximized, kiosk: kioskWanted(process.argv, process.env, shop.engine.settings.get()) })
  trackWindowState(cashier, (state) => shop.engine.settings.put(SETTING_WINDOW, state))
  // With a second screen the customer display opens there at once, full screen; otherwise the cashier opens it on demand.
  const openCustomer = (place: ReturnType<typeof customerPlacement>) =>
    createWindow({ title: 'StablePay POS: customer', route: '/customer', bounds: place.bounds, fullscreen: place.fullscreen })
  if (secondDisplay(screen)) openCustomer(customerPlacement(screen))
  // A monitor plugged in later gets the customer display; one unplugged gives it back as a window.
  followCustomerScreen(screen, {
    find: () => BrowserWindow.getAllWindows().find((w) => !w.isDestroyed() && isCustomerDisplayUrl(w.webContents.getURL())),
    open: openCustomer,
  })
  for (const event of PUSH_EVENTS) {
    shop.engine.events.on(event, (payload) => {
      for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(IPC.push, event, payload)
    })
  }
  app.on('window-all-closed', () => app.quit())
  void startAutoUpdate({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, version: app.getVersion() })
}
