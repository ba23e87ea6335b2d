/**
 * Auto-update with electron-updater against a generic HTTPS feed. The feed is
 * electron-builder.yml's `publish` (provider generic, an https URL); with it,
 * electron-builder writes resources/app-update.yml into the app, which
 * electron-updater reads. Without it there is no such file and the app never
 * looks for updates: a shop that installs by hand is never surprised.
 *
 * electron-updater is loaded on demand, only in a packaged app with a feed:
 * a hand-installed till never loads it, and tests pass their own updater.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AppUpdater } from 'electron-updater'
import { errorFields, log } from '../engine/log'

const logger = log('updates')

/** What the shell needs of electron-updater (its `autoUpdater`). */
export interface Updater {
  logger: unknown
  checkForUpdatesAndNotify(): Promise<unknown>
}

export interface AutoUpdateOptions {
  packaged: boolean
  resourcesPath: string
  version: string
  /** How electron-updater is loaded (tests pass their own). */
  load?: () => Promise<{ autoUpdater: Updater }>
  exists?: (path: string) => boolean
}

export function updateFeedConfigured(resourcesPath: string, exists: (path: string) => boolean = existsSync): boolean {
  return exists(join(resourcesPath, 'app-update.yml'))
}

const loadUpdater = async (): Promise<{ autoUpdater: Updater }> => {
  // A CommonJS package: its exports arrive on `default` or at the top, depending on the loader.
  const mod = (await import('electron-updater')) as unknown as { autoUpdater?: AppUpdater; default?: { autoUpdater: AppUpdater } }
  return { autoUpdater: (mod.autoUpdater ?? mod.default?.autoUpdater)! }
}

/** Looks for an update once at start (then electron-updater downloads it and installs it on quit). Resolves whether it looked. */
export async function startAutoUpdate(options: AutoUpdateOptions): Promise<boolean> {
  if (!options.packaged || !updateFeedConfigured(options.resourcesPath, options.exists)) {
    logger.info({ version: options.version }, 'auto-update off: no update feed configured')
    return false
  }
  let updater: Updater
  try {
    updater = (await (options.load ?? loadUpdater)()).autoUpdater
  } catch (error) {
    logger.warn(errorFields(error), 'auto-update off: electron-updater could not be loaded')
    return false
  }
  updater.logger = logger
  try {
    await updater.checkForUpdatesAndNotify()
  } catch (error) {
    // Offline or the feed is down: the till goes on, the next start looks again.
    logger.warn(errorFields(error), 'update check failed')
  }
  return true
}
