/**
 * The thin Electron shell: windows with secure defaults, the IPC wiring of the
 * one contract to the engine's handler registry, and quitting cleanly.
 */
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import type { Channel } from '../../src-preload/contract'
import { CHANNELS, IPC, PUSH_EVENTS } from '../../src-preload/contract'
import type { App } from '../app'
import { startApp } from '../app'
import { desktopSecretBox } from './secretBox'
import { createWindow, CSP, isAppPage, secondDisplay } from './window'
import { logLocation, startLogging } from '../engine/log'
import { showStartFailure } from './startFailure'

const channels = new Set<string>(CHANNELS)

export async function runDesktop(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  const dataDir = process.env.STABLEPAY_DATA_DIR ?? join(app.getPath('userData'), 'data')
  // The desktop app logs to its data folder's logs/ (Settings → Support exports them).
  let stopLogging: () => Promise<void> = async () => undefined
  let shop: App
  try {
    stopLogging = await startLogging({ dataDir })
    shop = await startApp({
      dataDir,
      secretBox: desktopSecretBox(dataDir),
      shell: {
        chooseExportFile: async (suggestedName) => {
          const extension = suggestedName.split('.').pop() ?? ''
          const choice = await dialog.showSaveDialog({ defaultPath: suggestedName, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] })
          return choice.canceled || !choice.filePath ? null : choice.filePath
        },
      },
    })
  } catch (error) {
    // Not a silent exit: the owner is told why, and where the log is.
    showStartFailure(dialog, error, { dataDir, logDir: logLocation()?.dir ?? null })
    await stopLogging()
    app.exit(1)
    return
  }

  ipcMain.handle(IPC.invoke, (event, channel: unknown, input: unknown) => {
    // Only the app's own pages may call the engine (not a frame that somehow loaded something else).
    if (!isAppPage(event.senderFrame?.url ?? '')) return { ok: false, error: { code: 'forbidden_sender', message: 'not an app page' } }
    if (typeof channel !== 'string' || !channels.has(channel))
      return { ok: false, error: { code: 'unknown_channel', message: `no channel "${String(channel)}"` } }
    return shop.handlers.invoke(channel as Channel, input as never)
  })

  createWindow({ title: 'StablePay POS' })
  // With a second screen the customer display opens there at once; otherwise the cashier opens it on demand.
  const display = secondDisplay()
  if (display) createWindow({ title: 'StablePay POS: customer', route: '/customer', display })
  for (const event of PUSH_EVENTS) {
    shop.engine.events.on(event, (payload) => {
      for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(IPC.push, event, payload)
    })
  }

  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    void shop
      .stop()
      .finally(() => stopLogging())
      .finally(() => app.exit(0))
  })
  app.on('window-all-closed', () => app.quit())
}
