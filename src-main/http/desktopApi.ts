/**
 * The desktop app's REST API: the same HTTP server as serve mode
 * (startHttpServer: `/v1`, API keys, idempotency, the same errors), started
 * and stopped by the owner's choice in Settings → API. Off by default; on
 * 127.0.0.1 unless the owner chose the shop's network (plain HTTP, which the
 * screen warns about). The choice is kept in the settings table and applied
 * again at the next start. No electron import: the shell and the tests use it alike.
 */
import type { ApiServerState } from '../../src-preload/contract'
import type { App } from '../app'
import type { ApiServerControl, ApiServerPatch } from './apiServerControl'
import { errorFields, log } from '../engine/log'
import type { HttpServerHandle } from './server'
import { startHttpServer } from './server'

export const DEFAULT_API_PORT = 7420
const SETTING_ENABLED = 'api_server.enabled'
const SETTING_PORT = 'api_server.port'
const SETTING_LAN = 'api_server.lan'


export class DesktopApi implements ApiServerControl {
  private app: App | null = null
  private server: HttpServerHandle | null = null
  private error: string | null = null
  /** One change at a time: a second click waits for the first restart to finish. */
  private queue: Promise<unknown> = Promise.resolve()
  private readonly logger = log('desktop-api')

  constructor(private readonly options: { rendererDir: string; host?: { loopback: string; lan: string } }) {}

  /** Starts the API if the owner left it on. A port that is taken is reported in the state, not thrown. */
  start(app: App): Promise<ApiServerState> {
    this.app = app
    return this.serialise(() => this.apply())
  }

  state(): ApiServerState {
    const choice = this.choice()
    return {
      available: true,
      ...choice,
      running: this.server !== null,
      url: this.server?.url ?? null,
      error: this.error,
    }
  }

  /** Keeps the owner's choice, then starts, stops or restarts the server to match it. */
  update(patch: ApiServerPatch): Promise<ApiServerState> {
    return this.serialise(async () => {
      const settings = this.shop().engine.settings
      if (patch.enabled !== undefined) settings.put(SETTING_ENABLED, patch.enabled)
      if (patch.port !== undefined) settings.put(SETTING_PORT, patch.port)
      if (patch.lan !== undefined) settings.put(SETTING_LAN, patch.lan)
      return this.apply()
    })
  }

  /** After a restore: the restored database's choice (on or off, port, LAN) is applied, as at a start. */
  restored(): Promise<void> {
    return this.serialise(async () => {
      // Not started (the shell failed before it started the API): nothing runs, nothing to match.
      if (this.app) await this.apply()
    })
  }

  /** On quit: closes every connection and stops listening. Safe to call twice, and before start. */
  stop(): Promise<void> {
    return this.serialise(async () => {
      await this.close()
      this.app = null
    })
  }

  private choice(): Pick<ApiServerState, 'enabled' | 'port' | 'lan'> {
    const settings = this.shop().engine.settings
    return {
      enabled: settings.read<boolean>(SETTING_ENABLED) ?? false,
      port: settings.read<number>(SETTING_PORT) ?? DEFAULT_API_PORT,
      lan: settings.read<boolean>(SETTING_LAN) ?? false,
    }
  }

  private host(lan: boolean): string {
    const hosts = this.options.host ?? { loopback: '127.0.0.1', lan: '0.0.0.0' }
    return lan ? hosts.lan : hosts.loopback
  }

  private async apply(): Promise<ApiServerState> {
    const want = this.choice()
    const running = this.server
    if (running && (!want.enabled || running.port !== want.port || running.host !== this.host(want.lan))) await this.close()
    this.error = null
    if (want.enabled && !this.server) {
      try {
        this.server = await startHttpServer({ app: this.shop(), host: this.host(want.lan), port: want.port, rendererDir: this.options.rendererDir })
        this.logger.info({ url: this.server.url }, 'REST API started')
      } catch (error) {
        this.error = error instanceof Error ? error.message : String(error)
        this.logger.warn(errorFields(error), 'REST API could not start')
      }
    }
    return this.state()
  }

  private async close(): Promise<void> {
    const server = this.server
    this.server = null
    if (!server) return
    await server.close()
    this.logger.info({ url: server.url }, 'REST API stopped')
  }

  private shop(): App {
    if (!this.app) throw new Error('the desktop API is not started')
    return this.app
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }
}
