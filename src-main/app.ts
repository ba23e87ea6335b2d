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
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import packageJson from '../package.json'
import { describeTill, diagnosticsZip } from './engine/diagnostics'
import { logLocation } from './engine/log'
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
  engine: Engine
  handlers: HandlerRegistry
  webhooks: Webhooks
  watchers: ChainWatchers
  /** Stops services and closes the database. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Opens the shop's database and applies the config file, starting nothing.
 * Serve mode also uses it on a scratch copy to check a config before touching
 * the real data. On any error the database is closed and the error thrown.
 */
export function openApp(options: AppOptions): { engine: Engine; webhooks: Webhooks } {
  const config = options.config
  const engine = createEngine({
    dataDir: options.dataDir,
    clock: options.clock,
    lateWindowSeconds: config?.lateWindowSeconds,
    rates: { providerUrl: config?.rates?.provider?.url, maxAgeSeconds: config?.rates?.maxAgeSeconds },
  })
  try {
    const webhooks = new Webhooks(engine, { secretBox: options.secretBox ?? new FileKeySecretBox(options.dataDir), clock: options.clock })
    if (config) applyConfig(engine, config, { webhooks: (list) => webhooks.applyConfig(list) })
    return { engine, webhooks }
  } catch (error) {
    engine.close()
    throw error
  }
}

export async function startApp(options: AppOptions): Promise<App> {
  const { engine, webhooks } = openApp(options)
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
  registerApiServerHandlers(handlers, options.apiServer ?? fixedApiServer(options.serveUrl ?? (() => null)))
  const stopServices = engine.start()
  const stopWatchers = watchers.start()
  const stopWebhooks = webhooks.start()
  let stopped = false
  return {
    engine,
    handlers,
    webhooks,
    watchers,
    async stop() {
      if (stopped) return
      stopped = true
      await stopWatchers()
      await stopWebhooks()
      await stopServices()
      engine.close()
    },
  }
}

/** The diagnostics zip: the log files and the till described, nothing secret (engine/diagnostics.ts). */
export function diagnosticsOf(app: Pick<App, 'engine' | 'watchers'>): Promise<Uint8Array> {
  const info = describeTill(app.engine, app.watchers.states(), { name: 'StablePay POS', version: packageJson.version })
  return diagnosticsZip(logLocation()?.dir ?? join(app.engine.dataDir, 'logs'), info)
}
