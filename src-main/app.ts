/**
 * One running shop: the engine, the shop's config applied, every feature's
 * handlers registered and its long-running services started. Used by both
 * front doors: the Electron shell (src-main/index.ts) and serve mode
 * (src-main/serve.ts). No electron import here.
 */
import type { Engine } from './engine'
import { createEngine } from './engine'
import type { Clock } from './engine/clock'
import type { ConfigFile } from './engine/config'
import { applyConfig } from './engine/config'
import type { HandlerRegistry } from './engine/handlers'
import { createHandlerRegistry } from './engine/handlers'

export interface AppOptions {
  dataDir: string
  config?: ConfigFile
  clock?: Clock
}

export interface App {
  engine: Engine
  handlers: HandlerRegistry
  /** Stops services and closes the database. Safe to call twice. */
  stop(): Promise<void>
}

export async function startApp(options: AppOptions): Promise<App> {
  const config = options.config
  const engine = createEngine({
    dataDir: options.dataDir,
    clock: options.clock,
    lateWindowSeconds: config?.lateWindowSeconds,
    rates: { providerUrl: config?.rates?.provider?.url, maxAgeSeconds: config?.rates?.maxAgeSeconds },
  })
  try {
    if (config) applyConfig(engine, config)
  } catch (error) {
    engine.close()
    throw error
  }
  const handlers = createHandlerRegistry(engine)
  const stopServices = engine.start()
  let stopped = false
  return {
    engine,
    handlers,
    async stop() {
      if (stopped) return
      stopped = true
      await stopServices()
      engine.close()
    },
  }
}
