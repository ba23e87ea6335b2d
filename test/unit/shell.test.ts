/**
 * The desktop shell's decisions (src-main/electron/shell.ts, updates.ts) through
 * its own functions, with stand-ins for the few members of Electron's API each
 * one uses (the Electron binary cannot run here). Quitting is checked on a real
 * shop: real SQLite, the real REST API, real sockets.
 */
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { CustomerPlacement, DisplayLike, Rect, WindowState } from '../../src-main/electron/shell'
import {
  claimSingleInstance,
  customerPlacement,
  desktopDataDir,
  focusWindow,
  followCustomerScreen,
  applyKiosk,
  kioskMayHaveChanged,
  kioskRequested,
  kioskWanted,
  quitCleanly,
  restoredBounds,
  trackWindowState,
} from '../../src-main/electron/shell'
import { startAutoUpdate } from '../../src-main/electron/updates'
import { DesktopApi } from '../../src-main/http/desktopApi'
import { getFreePort } from '../support/freePort'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

/** Electron's `app`, as much of it as the shell uses: one lock per "machine" (a shared object). */
class FakeApp extends EventEmitter {
  quitCalls = 0
  exitCode: number | null = null
  constructor(private readonly machine: { locked: boolean }) {
    super()
  }
  requestSingleInstanceLock(): boolean {
    if (this.machine.locked) return false
    this.machine.locked = true
    return true
  }
  quit(): void {
    this.quitCalls++
    // Like Electron: quitting emits before-quit, which a listener may hold back.
    let held = false
    this.emit('before-quit', { preventDefault: () => (held = true) })
    if (!held) this.exitCode ??= 0
  }
  exit(code: number): void {
    this.exitCode = code
  }
}

class FakeWindow extends EventEmitter {
  minimized = true
  shown = false
  focused = false
  destroyed = false
  fullScreen = false
  maximized = false
  normal: Rect = { x: 40, y: 30, width: 1100, height: 700 }
  isDestroyed = () => this.destroyed
  isMinimized = () => this.minimized
  restore = () => (this.minimized = false)
  show = () => (this.shown = true)
  focus = () => (this.focused = true)
  getNormalBounds = () => this.normal
  isMaximized = () => this.maximized
  isFullScreen = () => this.fullScreen
}

const display = (id: number, x: number): DisplayLike => ({
  id,
  bounds: { x, y: 0, width: 1920, height: 1080 },
  workArea: { x, y: 0, width: 1920, height: 1040 },
})

describe('one instance', () => {
  it('a second launch quits at once and the first brings its cashier window forward', () => {
    const machine = { locked: false }
    const first = new FakeApp(machine)
    const cashier = new FakeWindow()
    expect(claimSingleInstance(first, () => focusWindow(cashier))).toBe(true)

    const second = new FakeApp(machine)
    expect(claimSingleInstance(second, () => undefined)).toBe(false)
    expect(second.quitCalls).toBe(1)

    // Electron tells the first instance about the second launch.
    first.emit('second-instance')
    expect(cashier).toMatchObject({ minimized: false, shown: true, focused: true })
    expect(first.quitCalls).toBe(0)
  })

  it('a window already closed is left alone', () => {
    const win = new FakeWindow()
    win.destroyed = true
    focusWindow(win)
    focusWindow(null)
    expect(win.focused).toBe(false)
  })
})

describe('data folder', () => {
  it('lives in the OS app-data folder, unless STABLEPAY_DATA_DIR says otherwise', () => {
    expect(desktopDataDir({}, '/home/ann/.config/StablePay POS')).toBe(join('/home/ann/.config/StablePay POS', 'data'))
    expect(desktopDataDir({ STABLEPAY_DATA_DIR: '/tmp/till-2' }, '/home/ann/.config/StablePay POS')).toBe('/tmp/till-2')
    expect(desktopDataDir({ STABLEPAY_DATA_DIR: '' }, '/u')).toBe(join('/u', 'data'))
  })
})

describe('quitting cleanly', () => {
  let dir: TempDir
  let app: App
  let api: DesktopApi
  afterEach(async () => {
    await api?.stop()
    await app?.stop()
    await dir?.cleanup()
  })

  it('stops the REST API, the watcher and webhook sender, closes SQLite, then exits 0', async () => {
    dir = makeTempDir('stablepay-shell')
    api = new DesktopApi({ rendererDir: dir.path })
    app = await startApp({ dataDir: dir.path, config: shopConfig({ webhooks: [{ merchantId: 'merchant_123', url: 'http://127.0.0.1:9/hook', secret: 'whsec_shell_test_secret_0123456789', events: ['*'] }] }), apiServer: api })
    const port = await getFreePort()
    await api.start(app)
    await api.update({ enabled: true, port })

    expect(app.watchers.states().map((s) => s.chain_id)).toEqual([31337])
    const electronApp = new FakeApp({ locked: false })
    const order: string[] = []
    const stopping = quitCleanly(electronApp, [
      () => api.stop().then(() => void order.push('api')),
      () => app.stop().then(() => void order.push('shop')),
      async () => {
        order.push('log')
      },
    ])
    electronApp.quit()
    // Held back until everything stopped: no exit yet.
    expect(electronApp.exitCode).toBeNull()
    await stopping()
    expect(order).toEqual(['api', 'shop', 'log'])
    expect(electronApp.exitCode).toBe(0)
    expect(app.engine.db.open).toBe(false)
    expect(app.watchers.states()).toEqual([])
    await expect(fetch(`http://127.0.0.1:${port}/v1/payment/sessions`)).rejects.toThrow()

    // A second quit (the OS shutting down meanwhile) does not stop twice.
    electronApp.quit()
    expect(stopping()).not.toBeNull()
  })

  it('a step that fails is logged, the others still run, and the exit code says so', async () => {
    const electronApp = new FakeApp({ locked: false })
    const ran: string[] = []
    const stopping = quitCleanly(electronApp, [
      async () => {
        throw new Error('webhook sender stuck')
      },
      async () => {
        ran.push('database closed')
      },
    ])
    electronApp.quit()
    await stopping()
    expect(ran).toEqual(['database closed'])
    expect(electronApp.exitCode).toBe(1)
  })

  it('a step that never ends does not keep the till from closing', async () => {
    const electronApp = new FakeApp({ locked: false })
    quitCleanly(electronApp, [() => new Promise<void>(() => undefined)], 50)
    electronApp.quit()
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(electronApp.exitCode).toBe(1)
  })
})

describe('window size and position', () => {
  const saved: WindowState = { bounds: { x: 2000, y: 100, width: 1000, height: 700 }, maximized: false }

  it('opens where it was when that is still on a screen', () => {
    expect(restoredBounds(saved, [display(1, 0), display(2, 1920)])).toEqual({ bounds: saved.bounds, maximized: false })
  })

  it('keeps the size but not the place when that monitor is gone, so it never opens off-screen', () => {
    expect(restoredBounds(saved, [display(1, 0)])).toEqual({ bounds: { width: 1000, height: 700 }, maximized: false })
  })

  it('first start, or a damaged record: the default size', () => {
    expect(restoredBounds(null, [display(1, 0)])).toEqual({ bounds: { width: 1280, height: 800 }, maximized: false })
    expect(restoredBounds({ bounds: { x: 0, y: 0, width: Number.NaN, height: 5 }, maximized: true }, [display(1, 0)]).bounds).toEqual({
      width: 1280,
      height: 800,
    })
  })

  it('remembers the normal size and position when moved, resized or closed, not while full screen', async () => {
    const win = new FakeWindow()
    const states: WindowState[] = []
    trackWindowState(win, (s) => states.push(s), 10)
    win.emit('move')
    win.emit('resize')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(states).toEqual([{ bounds: win.normal, maximized: false }])
    win.maximized = true
    win.emit('close')
    expect(states.at(-1)).toEqual({ bounds: win.normal, maximized: true })
    win.fullScreen = true
    win.emit('close')
    expect(states).toHaveLength(2)
  })
})

describe('customer display and kiosk', () => {
  const screenOf = (displays: DisplayLike[]) => ({ getPrimaryDisplay: () => displays[0]!, getAllDisplays: () => displays })

  it('full screen on the second monitor when one is attached', () => {
    expect(customerPlacement(screenOf([display(1, 0), display(7, 1920)]))).toEqual({
      fullscreen: true,
      bounds: { x: 1920, y: 0, width: 1920, height: 1080 },
    })
  })

  it('else a window the cashier opens on demand', () => {
    expect(customerPlacement(screenOf([display(1, 0)]))).toEqual({ fullscreen: false, bounds: { width: 900, height: 700 } })
  })

  it('kiosk mode only when asked for', () => {
    expect(kioskRequested(['electron', '.'], {})).toBe(false)
    expect(kioskRequested(['StablePay POS', '--kiosk'], {})).toBe(true)
    expect(kioskRequested([], { STABLEPAY_KIOSK: '1' })).toBe(true)
  })

  it("kiosk mode follows the owner's Settings switch at once; the shortcut's --kiosk keeps it on", async () => {
    const dir = makeTempDir('stablepay-shell-kiosk')
    const app = await startApp({ dataDir: dir.path, config: shopConfig() })
    try {
      const cashier = { destroyed: false, kiosk: false, isDestroyed: () => cashier.destroyed, isKiosk: () => cashier.kiosk, setKiosk: (on: boolean) => void (cashier.kiosk = on) }
      // What the shell does after each call from the window (index.ts), here through the real handler registry.
      const call = async (channel: 'settings:update', input: { kiosk?: unknown }, argv: string[] = []) => {
        const result = await app.handlers.invoke(channel, input as never, { device: 'local' })
        if (kioskMayHaveChanged(channel, result.ok)) applyKiosk(cashier, kioskWanted(argv, {}, app.engine.settings.get()))
        return result
      }
      expect(app.engine.settings.get().kiosk).toBe(false)
      await app.handlers.invoke('owner:set-pin', { pin: '246810' } as never, { device: 'local' })
      await app.handlers.invoke('owner:unlock', { pin: '246810' } as never, { device: 'local' })
      expect((await call('settings:update', { kiosk: true })).ok).toBe(true)
      expect(cashier.kiosk).toBe(true)
      expect(app.engine.settings.get().kiosk).toBe(true)
      expect(await call('settings:update', { kiosk: 'yes' })).toMatchObject({ ok: false, error: { param: 'kiosk' } })
      expect(cashier.kiosk).toBe(true)
      await call('settings:update', { kiosk: false })
      expect(cashier.kiosk).toBe(false)
      // A till started with --kiosk stays a kiosk, whatever the switch says.
      await call('settings:update', { kiosk: false }, ['StablePay POS', '--kiosk'])
      expect(cashier.kiosk).toBe(true)
      expect(applyKiosk(cashier, true), 'nothing to change').toBe(false)
      cashier.destroyed = true
      expect(applyKiosk(cashier, false), 'a closed window is left alone').toBe(false)
      expect(kioskMayHaveChanged('sessions:create', true)).toBe(false)
      expect(kioskMayHaveChanged('settings:update', false)).toBe(false)
    } finally {
      await app.stop()
      await dir.cleanup()
    }
  })
})

describe('a monitor plugged in or out while the till runs', () => {
  /** Electron's `screen`: the monitors attached now, and its two events. */
  class FakeScreen extends EventEmitter {
    constructor(public displays: DisplayLike[]) {
      super()
    }
    getPrimaryDisplay = () => this.displays[0]!
    getAllDisplays = () => this.displays
    plug(d: DisplayLike) {
      this.displays = [...this.displays, d]
      this.emit('display-added')
    }
    unplug(id: number) {
      this.displays = this.displays.filter((d) => d.id !== id)
      this.emit('display-removed')
    }
  }
  /** The customer display's window, as a window manager would keep it. */
  class CustomerWin {
    destroyed = false
    fullScreen: boolean
    bounds: Rect
    calls: string[] = []
    constructor(place: CustomerPlacement) {
      this.fullScreen = place.fullscreen
      this.bounds = { x: 0, y: 0, ...place.bounds } as Rect
    }
    isDestroyed = () => this.destroyed
    isFullScreen = () => this.fullScreen
    getBounds = () => this.bounds
    setFullScreen = (on: boolean) => {
      this.calls.push(`fullscreen ${on}`)
      this.fullScreen = on
    }
    setBounds = (r: Rect) => {
      this.calls.push('move')
      this.bounds = r
    }
  }
  const follow = (screen: FakeScreen, opened: CustomerWin[]) =>
    followCustomerScreen(screen, {
      find: () => opened.find((w) => !w.destroyed),
      open: (place) => void opened.push(new CustomerWin(place)),
    })
  const second = display(7, 1920)
  const onCustomerMonitor = { x: 1920, y: 0, width: 1920, height: 1080 }

  it('a monitor attached later gets the customer display, full screen, even when it was not open', () => {
    const screen = new FakeScreen([display(1, 0)])
    const opened: CustomerWin[] = []
    follow(screen, opened)
    screen.plug(second)
    expect(opened).toHaveLength(1)
    expect(opened[0]).toMatchObject({ fullScreen: true, bounds: onCustomerMonitor })
  })

  it("the display open as a window on the cashier's screen moves to the new monitor, full screen", () => {
    const screen = new FakeScreen([display(1, 0)])
    const win = new CustomerWin({ fullscreen: false, bounds: { x: 100, y: 100, width: 900, height: 700 } })
    const opened = [win]
    follow(screen, opened)
    screen.plug(second)
    expect(opened).toHaveLength(1)
    expect(win).toMatchObject({ fullScreen: true, bounds: onCustomerMonitor })
    expect(win.calls).toEqual(['move', 'fullscreen true'])
  })

  it("unplugged: back to a window on the cashier's screen, then full screen again when plugged back", () => {
    const screen = new FakeScreen([display(1, 0), second])
    const win = new CustomerWin({ fullscreen: true, bounds: onCustomerMonitor })
    follow(screen, [win])
    screen.unplug(7)
    expect(win.fullScreen).toBe(false)
    // Whole, inside the cashier's work area.
    const area = display(1, 0).workArea
    expect(win.bounds.x).toBeGreaterThanOrEqual(area.x)
    expect(win.bounds.x + win.bounds.width).toBeLessThanOrEqual(area.x + area.width)
    expect(win.bounds.y + win.bounds.height).toBeLessThanOrEqual(area.y + area.height)
    expect(win.calls).toEqual(['fullscreen false', 'move'])
    screen.plug(second)
    expect(win).toMatchObject({ fullScreen: true, bounds: onCustomerMonitor })
  })

  it('another change leaves a display that is already where it belongs, and a window the cashier placed, alone', () => {
    const screen = new FakeScreen([display(1, 0), second])
    const win = new CustomerWin({ fullscreen: true, bounds: onCustomerMonitor })
    follow(screen, [win])
    screen.plug(display(9, 3840))
    screen.unplug(9)
    expect(win.calls).toEqual([])
    const single = new FakeScreen([display(1, 0)])
    const placed = new CustomerWin({ fullscreen: false, bounds: { x: 300, y: 200, width: 900, height: 700 } })
    follow(single, [placed])
    single.plug(display(9, -1920))
    single.unplug(9)
    // Plugged: it went full screen there; unplugged: back as a window, not on the monitor that is gone.
    expect(placed.fullScreen).toBe(false)
    expect(placed.bounds.x).toBeGreaterThanOrEqual(0)
    const none = new FakeScreen([display(1, 0), second])
    const opened: CustomerWin[] = []
    follow(none, opened)
    none.unplug(7)
    expect(opened, 'nothing opened when the second monitor goes').toEqual([])
  })
})

describe('auto-update', () => {
  const updater = () => {
    const calls: string[] = []
    return { calls, load: async () => ({ autoUpdater: { logger: null, checkForUpdatesAndNotify: async () => calls.push('check') } }) }
  }

  it('off without a feed in the config, and off when running from source', async () => {
    const u = updater()
    expect(await startAutoUpdate({ packaged: true, resourcesPath: '/opt/pos/resources', version: '0.1.0', load: u.load, exists: () => false })).toBe(false)
    expect(await startAutoUpdate({ packaged: false, resourcesPath: '/x', version: '0.1.0', load: u.load, exists: () => true })).toBe(false)
    expect(u.calls).toEqual([])
  })

  it('with a feed (app-update.yml written by electron-builder), it looks once', async () => {
    const u = updater()
    const exists = (path: string) => path === join('/opt/pos/resources', 'app-update.yml')
    expect(await startAutoUpdate({ packaged: true, resourcesPath: '/opt/pos/resources', version: '0.1.0', load: u.load, exists })).toBe(true)
    expect(u.calls).toEqual(['check'])
  })

  it('electron-updater that cannot load (a broken install): logged, the app goes on', async () => {
    const exists = () => true
    const load = async () => {
      throw new Error('Cannot find module electron-updater')
    }
    expect(await startAutoUpdate({ packaged: true, resourcesPath: '/r', version: '0.1.0', load, exists })).toBe(false)
  })

  it('electron-updater is a dependency the packaged app ships', async () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(pkg.dependencies['electron-updater']).toMatch(/^\^6\./)
    expect(createRequire(import.meta.url).resolve('electron-updater')).toContain('electron-updater')
  })
})
