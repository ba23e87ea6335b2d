/**
 * The 'api-server:*' channels: what Settings → API asks of whichever shell runs
 * the REST API. The desktop app's is switchable (desktopApi.ts); serve mode's is
 * the server it runs on. Apart from desktopApi.ts so that app.ts can register the
 * handlers without importing the HTTP server.
 */
import type { ApiServerState, InputOf } from '../../src-preload/contract'
import { conflict } from '../engine/errors'
import type { HandlerRegistry } from '../engine/handlers'

export type ApiServerPatch = InputOf<'api-server:update'>

export interface ApiServerControl {
  state(): ApiServerState
  update(patch: ApiServerPatch): Promise<ApiServerState>
  /**
   * The database was replaced by a backup (app.restore): the choice stored in the restored shop rules from
   * now on, started, stopped or moved to match it at once, not at the owner's next change.
   */
  restored?(): Promise<void>
}

/** Serve mode's API is the server it runs on: always on, not switched from Settings. */
export function fixedApiServer(url: () => string | null): ApiServerControl {
  return {
    state: () => {
      const at = url()
      return { available: false, enabled: true, port: at ? Number(new URL(at).port) : 0, lan: false, running: at !== null, url: at, error: null }
    },
    update: () => {
      throw conflict('api_server_fixed', 'In serve mode the REST API is always on, at the address serve mode was started with (--host, --port).')
    },
  }
}

export function registerApiServerHandlers(registry: HandlerRegistry, control: ApiServerControl): void {
  registry.register('api-server:state', () => control.state())
  registry.register('api-server:update', (patch) => control.update(patch))
}
