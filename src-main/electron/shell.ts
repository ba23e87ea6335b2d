/**
 * The desktop shell's decisions, as plain functions with Electron's API passed
 * in (only the few members each one uses), so that Node tests run them without
 * the Electron binary: one instance, the data folder, quitting cleanly, window
 * size and position, where the customer display goes, kiosk mode.
 * No electron import here; index.ts passes the real objects.
 */
import { join } from 'node:path'
import { errorFields, log } from '../engine/log'

const logger = log('shell')

// ------------------------------------------------------------ one instance

export interface InstanceApp {
  requestSingleInstanceLock(): boolean
  quit(): void
  on(event: 'second-instance', listener: () => void): unknown
}

/**
 * True when this is the one running instance. A second launch (a double click on
 * the icon while the till runs) quits at once, and the first brings its window
 * forward: two tills on one database would fight over it.
 */
export function claimSingleInstance(app: InstanceApp, focusFirst: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', focusFirst)
  return true
}

export interface FocusableWindow {
  isDestroyed(): boolean
  isMinimized(): boolean
  restore(): void
  show(): void
  focus(): void
}

/** Brings the cashier window back: out of the taskbar, in front. */
export function focusWindow(win: FocusableWindow | null | undefined): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

// ------------------------------------------------------------ data folder

/** The shop's data: STABLEPAY_DATA_DIR (tests, a second till on one machine), else the OS app-data folder's data/. */
export function desktopDataDir(env: NodeJS.ProcessEnv, userData: string): string {
  return env.STABLEPAY_DATA_DIR || join(userData, 'data')
}

// ------------------------------------------------------------ quitting

export interface QuitApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown
  exit(code: number): void
}

/** A stuck service (a webhook endpoint that never answers) must not keep the till from closing. */
export const QUIT_DEADLINE_MS = 10_000

/**
 * On quit (menu, last window closed, OS shutdown), Electron waits while the
 * shop stops in order: the REST API (no new work), the chain watcher and the
 * webhook sender, then SQLite is closed; only then the process exits. Exit code
 * 1 when a step failed or the deadline passed. Returns a promise of the stop,
 * started at the first quit (tests await it).
 */
export function quitCleanly(app: QuitApp, steps: Array<() => Promise<void>>, deadlineMs = QUIT_DEADLINE_MS): () => Promise<void> | null {
  let stopping: Promise<void> | null = null
  app.on('before-quit', (event) => {
    // The first quit is held back until everything is stopped; the exit below ends the process without asking again.
    event.preventDefault()
    if (stopping) return
    stopping = (async () => {
      let code = 0
      const deadline = setTimeout(() => {
        logger.error({ deadlineMs }, 'did not stop in time; exiting anyway')
        app.exit(1)
      }, deadlineMs)
      deadline.unref()
      for (const step of steps) {
        try {
          await step()
        } catch (error) {
          code = 1
          logger.error(errorFields(error), 'error while stopping')
        }
      }
      clearTimeout(deadline)
      app.exit(code)
    })()
  })
  return () => stopping
}

// ------------------------------------------------------------ window size and position

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
}

export interface DisplayLike {
  id: number
  bounds: Rect
  workArea: Rect
}

export const CASHIER_DEFAULT = { width: 1280, height: 800 }
const MIN_VISIBLE = 100

/**
 * Where the cashier window opens: where it was, if that is still on a screen
 * (a monitor unplugged since must not leave it off-screen), else the default
 * size, centred by Electron.
 */
export function restoredBounds(saved: WindowState | null, displays: readonly DisplayLike[]): { bounds: Partial<Rect>; maximized: boolean } {
  if (!saved || !validRect(saved.bounds)) return { bounds: { ...CASHIER_DEFAULT }, maximized: false }
  const visible = displays.some((d) => overlap(d.workArea, saved.bounds) >= MIN_VISIBLE * MIN_VISIBLE)
  if (!visible) return { bounds: { width: saved.bounds.width, height: saved.bounds.height }, maximized: saved.maximized }
  return { bounds: { ...saved.bounds }, maximized: saved.maximized }
}

function validRect(r: Rect | undefined): r is Rect {
  return !!r && [r.x, r.y, r.width, r.height].every(Number.isFinite) && r.width >= 200 && r.height >= 150
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
  isFullScreen(): boolean
}

/**
 * Remembers the window's normal size and position (not the maximised one, so
 * un-maximising next time goes back to it) when it is moved or resized, a
 * moment after the last change, and when it closes.
 */
export function trackWindowState(win: TrackedWindow, save: (state: WindowState) => void, settleMs = 500): void {
  let timer: NodeJS.Timeout | null = null
  const record = () => {
    if (timer) clearTimeout(timer)
    timer = null
    // Kiosk and full screen are modes, not a size to come back to.
    if (win.isFullScreen()) return
    try {
      save({ bounds: win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (error) {
      logger.warn(errorFields(error), 'window position not saved')
    }
  }
  const later = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(record, settleMs)
    timer.unref()
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', record)
}

// ------------------------------------------------------------ customer display

export interface ScreenLike {
  getPrimaryDisplay(): DisplayLike
  getAllDisplays(): DisplayLike[]
}

/** A screen other than the cashier's, if one is attached. */
export function secondDisplay(screen: ScreenLike): DisplayLike | undefined {
  const primary = screen.getPrimaryDisplay()
  return screen.getAllDisplays().find((d) => d.id !== primary.id)
}

export interface CustomerPlacement {
  /** Full screen on the customer's monitor, or a window the cashier moved there themselves. */
  fullscreen: boolean
  bounds: Partial<Rect>
}

export const CUSTOMER_WINDOW = { width: 900, height: 700 }

/**
 * The customer display: full screen on the second monitor when one is attached
 * (it opens there at start), else a normal window the cashier opens on demand.
 */
export function customerPlacement(screen: ScreenLike): CustomerPlacement {
  const display = secondDisplay(screen)
  if (display) return { fullscreen: true, bounds: { ...display.bounds } }
  return { fullscreen: false, bounds: { ...CUSTOMER_WINDOW } }
}

export interface CustomerWindow {
  isDestroyed(): boolean
  isFullScreen(): boolean
  getBounds(): Rect
  setFullScreen(flag: boolean): void
  setBounds(bounds: Rect): void
}

export interface ScreenEvents extends ScreenLike {
  on(event: 'display-added' | 'display-removed', listener: () => void): unknown
}

/** The customer display as a window on the cashier's screen: its usual size, centred in the work area. */
function windowOnPrimary(screen: ScreenLike): Rect {
  const area = screen.getPrimaryDisplay().workArea
  const width = Math.min(CUSTOMER_WINDOW.width, area.width)
  const height = Math.min(CUSTOMER_WINDOW.height, area.height)
  return { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height }
}

const sameRect = (a: Rect, b: Partial<Rect>) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height

/**
 * Puts an open customer display where the monitors now say: full screen on the
 * second monitor when there is one (out of full screen first: a full-screen
 * window does not move to another monitor), else back to a window on the
 * cashier's screen when the monitor it filled was unplugged. A window the
 * cashier placed on a screen that is still there is left where it is.
 * Returns what it did.
 */
export function placeCustomerWindow(win: CustomerWindow, screen: ScreenLike): 'fullscreen' | 'window' | 'unchanged' {
  if (win.isDestroyed()) return 'unchanged'
  const place = customerPlacement(screen)
  if (place.fullscreen) {
    if (win.isFullScreen() && sameRect(win.getBounds(), place.bounds)) return 'unchanged'
    if (win.isFullScreen()) win.setFullScreen(false)
    win.setBounds(place.bounds as Rect)
    win.setFullScreen(true)
    return 'fullscreen'
  }
  const onScreen = screen.getAllDisplays().some((d) => overlap(d.workArea, win.getBounds()) >= MIN_VISIBLE * MIN_VISIBLE)
  if (!win.isFullScreen() && onScreen) return 'unchanged'
  if (win.isFullScreen()) win.setFullScreen(false)
  win.setBounds(windowOnPrimary(screen))
  return 'window'
}

/**
 * Monitors plugged in or out while the till runs: a monitor attached later gets
 * the customer display full screen (opened there if it was not open), and one
 * unplugged gives it back as a window on the cashier's screen, never lost
 * off-screen. `find` returns the open customer display, if any.
 */
export function followCustomerScreen(
  screen: ScreenEvents,
  customer: { find(): CustomerWindow | null | undefined; open(place: CustomerPlacement): void },
): void {
  const follow = () => {
    try {
      const win = customer.find()
      if (win && !win.isDestroyed()) placeCustomerWindow(win, screen)
      else if (secondDisplay(screen)) customer.open(customerPlacement(screen))
    } catch (error) {
      logger.warn(errorFields(error), 'customer display not moved to the new screen layout')
    }
  }
  screen.on('display-added', follow)
  screen.on('display-removed', follow)
}

// ------------------------------------------------------------ kiosk

/**
 * Kiosk mode for the cashier window (full screen, no way out to the desktop),
 * for a till the staff should not use for anything else: `--kiosk` on the
 * command line or STABLEPAY_KIOSK=1 in the shortcut that starts it.
 */
export function kioskRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--kiosk') || env.STABLEPAY_KIOSK === '1'
}

/**
 * Kiosk mode as the owner's Settings switch says, or forced on by the shortcut (kioskRequested): a till set
 * up as a kiosk by whoever installed it stays one whatever is clicked in Settings.
 */
export function kioskWanted(argv: readonly string[], env: NodeJS.ProcessEnv, settings: { kiosk: boolean }): boolean {
  return kioskRequested(argv, env) || settings.kiosk
}

export interface KioskWindow {
  isDestroyed(): boolean
  isKiosk(): boolean
  setKiosk(flag: boolean): void
}

/** Puts the cashier window in or out of kiosk mode when it is not already so. True when it changed. */
export function applyKiosk(win: KioskWindow | null | undefined, wanted: boolean): boolean {
  if (!win || win.isDestroyed() || win.isKiosk() === wanted) return false
  win.setKiosk(wanted)
  return true
}

/** The calls after which the cashier window's kiosk mode is looked at again: the owner's switch, a restore. */
export function kioskMayHaveChanged(channel: string, ok: boolean): boolean {
  return ok && (channel === 'settings:update' || channel === 'backups:restore')
}
