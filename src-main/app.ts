/**
 * One running shop: the engine, the shop's config applied, every feature's
 * handlers registered and its long-running services started. Used by both
 * ways in: the Electron shell (src-main/index.ts) and serve mode
 * (src-main/serve.ts). No electron import here.
 */
import type { Engine } from './engine'
import { createEngine } from './engine'
import type { Clock } from './engine/clock'
import type { ConfigFile } from './engine/config'
import { applyConfig } from './engine/config'
import type { HandlerRegistry, ShellHooks } from './engine/handlers'
import { createHandlerRegistry, saveAs } from './engine/handlers'
import { ChainWatchers, registerWatcherHandlers } from './engine/watcher'
import type { SecretBox } from './engine/webhooks'
import { FileKeySecretBox, registerWebhookHandlers, Webhooks } from './engine/webhooks'
import { mkdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { BackupState } from '../src-preload/contract'
import { checkBackup, listBackups, restoreDatabase } from './engine/backup'
import { nowSeconds } from './engine/clock'
import { conflict, invalid } from './engine/errors'
import { EngineEvents } from './engine/events'
import packageJson from '../package.json'
import { describeTill, diagnosticsZip } from './engine/diagnostics'
import { errorFields, log as logger, logLocation } from './engine/log'
import type { ApiServerControl } from './http/apiServerControl'
import { fixedApiServer, registerApiServerHandlers } from './http/apiServerControl'

export interface AppOptions {
  dataDir: string
  config?: ConfigFile
  clock?: Clock
  /** Where webhook secrets are sealed at rest: safeStorage in Electron, a 0600 key file otherwise. */
  secretBox?: SecretBox
  /** What the shell (Electron or serve mode) offers the handlers (the desktop's save dialog). */
  shell?: ShellHooks
  /** The desktop app's switchable REST API (http/desktopApi.ts); serve mode leaves it out: its API is the server it runs on. */
  apiServer?: ApiServerControl
  /** Serve mode's origin once it listens, for Settings → API to show. */
  serveUrl?: () => string | null
}

export interface App {
  /** The running shop's parts. Read them each time: a restore (`restore`) replaces them all in place. */
  readonly engine: Engine
  readonly handlers: HandlerRegistry
  readonly webhooks: Webhooks
  readonly watchers: ChainWatchers
  /**
   * Puts a listed backup in place of the database while running (`backups:restore`): checks the copy, stops
   * the services, keeps the current database as backups/before-restore-….sqlite (returned as `saved`),
   * restores, and starts everything again on the restored data. Screens hear `shop:restored` and refetch.
   */
  restore(file: string): Promise<{ saved: string; state: BackupState }>
  /** Stops services and closes the database. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Opens the shop's database and applies the config file, starting nothing.
 * Serve mode also uses it on a scratch copy to check a config before touching
 * the real data. On any error the database is closed and the error thrown.
 */
export function openApp(options: AppOptions & { events?: EngineEvents }): { engine: Engine; webhooks: Webhooks } {
  const config = options.config
  // One box seals both the webhook secrets and the API secrets (#12); the key file lives in the data folder.
  mkdirSync(options.dataDir, { recursive: true })
  const secretBox = options.secretBox ?? new FileKeySecretBox(options.dataDir)
  const engine = createEngine({
    dataDir: options.dataDir,
    clock: options.clock,
    lateWindowSeconds: config?.lateWindowSeconds,
    rates: { providerUrl: config?.rates?.provider?.url, maxAgeSeconds: config?.rates?.maxAgeSeconds },
    events: options.events,
    secretBox,
  })
  try {
    const webhooks = new Webhooks(engine, { secretBox, clock: options.clock })
    if (config) applyConfig(engine, config, { webhooks: (list) => webhooks.applyConfig(list) })
    return { engine, webhooks }
  } catch (error) {
    engine.close()
    throw error
  }
}

/** One run of the shop on one database: what a restore stops and starts again. */
interface Running {
  engine: Engine
  handlers: HandlerRegistry
  webhooks: Webhooks
  watchers: ChainWatchers
  stop(): Promise<void>
}

export async function startApp(options: AppOptions): Promise<App> {
  // One event hub for the app's whole life: whoever listens (the serve-mode event streams, the desktop windows)
  // keeps hearing the restored shop after a restore, without subscribing again.
  const events = new EngineEvents()
  let restoring: Promise<unknown> | null = null
  let stopped = false

  const launch = (): Running => {
    const { engine, webhooks } = openApp({ ...options, events })
    const handlers = createHandlerRegistry(engine, options.shell)
    registerWebhookHandlers(handlers, engine, webhooks)
    const watchers = new ChainWatchers(engine)
    registerWatcherHandlers(handlers, engine, watchers)
    handlers.register('support:export-diagnostics', async () => {
      const zip = {
        name: 'diagnostics',
        extension: 'zip',
        inBrowser: 'In the browser the diagnostics download directly (Settings → Support).',
      }
      const saved = await saveAs(engine, options.shell ?? {}, zip, async (path) => {
        await writeFile(path, await diagnosticsOf({ engine, watchers }))
        return {}
      })
      return { saved: saved !== null }
    })
    // Owner only (#13 gates the channel by role).
    handlers.register('backups:restore', ({ file }) => app.restore(file))
    registerApiServerHandlers(handlers, options.apiServer ?? fixedApiServer(options.serveUrl ?? (() => null)))
    const stopServices = engine.start()
    const stopWatchers = watchers.start()
    const stopWebhooks = webhooks.start()
    return {
      engine,
      handlers,
      webhooks,
      watchers,
      async stop() {
        await stopWatchers()
        await stopWebhooks()
        await stopServices()
        engine.close()
      },
    }
  }

  let current = launch()

  const restore = async (file: string) => {
    const engine = current.engine
    const chosen = listedBackup(engine, file)
    // Refused while the shop keeps running: a damaged or foreign copy stops nothing.
    checkBackup(chosen)
    const log = logger('backup')
    log.warn({ file: chosen }, 'restoring a backup: stopping the services')
    await current.stop()
    let saved: string
    try {
      saved = restoreDatabase({
        dbFile: engine.db.name,
        from: chosen,
        backupsDir: engine.backups.dir,
        now: nowSeconds(engine.clock),
      })
    } catch (error) {
      // Whatever is in place (the untouched database, if the copy could not be put there) runs again.
      log.error(errorFields(error), 'the restore failed; the shop goes on with the database it had')
      current = launch()
      throw error
    }
    current = launch()
    log.warn({ file: chosen, saved }, 'backup restored; the database it replaced is kept')
    // The desktop REST API as the restored shop has it (never thrown: a port taken is in its state).
    await options.apiServer?.restored?.().catch((error: unknown) => log.warn(errorFields(error), 'the REST API could not follow the restore'))
    events.emit('shop:restored', { file: chosen })
    return { saved, state: current.engine.backups.state() }
  }

  const app: App = {
    get engine() {
      return current.engine
    },
    get handlers() {
      return current.handlers
    },
    get webhooks() {
      return current.webhooks
    },
    get watchers() {
      return current.watchers
    },
    restore(file) {
      if (stopped) return Promise.reject(conflict('shop_stopped', 'The till is stopping; nothing was restored.'))
      if (restoring) return Promise.reject(conflict('restore_running', 'A restore is already running; wait for it to finish.'))
      const running = restore(file).finally(() => {
        restoring = null
      })
      restoring = running
      return running
    },
    async stop() {
      if (stopped) return
      stopped = true
      await restoring?.catch(() => undefined)
      await current.stop()
    },
  }
  return app
}

/**
 * Only a copy the Backups screen lists (the data folder's backups/ or the second folder) can be restored:
 * the channel is reachable from a browser, and must not read whatever file a path names.
 */
function listedBackup(engine: Engine, file: string): string {
  const state = engine.backups.state()
  const wanted = resolve(file)
  const listed = [...state.backups, ...(state.copy_to ? listBackups(state.copy_to) : [])]
  const found = listed.find((b) => resolve(b.file) === wanted)
  if (!found) throw invalid('backup_not_found', `${basename(file)} is not one of the backups listed in Settings → Backups`, 'file')
  return found.file
}

/** The diagnostics zip: the log files and the till described, nothing secret (engine/diagnostics.ts). */
export function diagnosticsOf(app: Pick<App, 'engine' | 'watchers'>): Promise<Uint8Array> {
  const info = describeTill(app.engine, app.watchers.states(), { name: 'StablePay POS', version: packageJson.version })
  return diagnosticsZip(logLocation()?.dir ?? join(app.engine.dataDir, 'logs'), info)
}
