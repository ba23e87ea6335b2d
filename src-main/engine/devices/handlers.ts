import type { Engine } from '..'
import type { HandlerRegistry } from '../handlers/registry'

/** The Devices screen's channels (#13). Which of them need the owner role is declared with the others' roles. */
export function registerDeviceHandlers(registry: HandlerRegistry, engine: Engine): void {
  const devices = engine.devices
  registry.register('devices:me', (_input, caller) => ({ device: devices.get(caller.device), lan_origins: [...devices.lan] }))
  registry.register('devices:list', () => devices.list())
  registry.register('devices:update', ({ id, ...change }) => devices.update(id, change))
  registry.register('devices:revoke', ({ id }) => devices.revoke(id))
  registry.register('devices:pair', (input, caller) => devices.pairingCode({ till: input.till, roleHint: input.role_hint }, caller.device))
  registry.register('tills:list', () => devices.tills())
  registry.register('tills:create', ({ name }) => devices.createTill(name))
  registry.register('tills:update', ({ id, name }) => devices.renameTill(id, name))
}
