import type { Engine } from '../../src-main/engine'
import { createEngine, ManualClock } from '../../src-main/engine'
import { demoTokens, seedEngine, shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'

export { SHOP_ADDRESS, USDC6, USDT18 } from '../support/shopConfig'

export interface Shop {
  engine: Engine
  clock: ManualClock
  dir: string
  close(): void
}

/** A real engine on a real SQLite file in a temp folder, with a local testnet offering a 6- and an 18-decimal token. */
export function openShop(opts: { receive?: { mode: 'address'; address: string } | { mode: 'xpub'; xpub: string }; lateWindowSeconds?: number } = {}): Shop {
  const dir = makeTempDir('stablepay-unit')
  const clock = new ManualClock()
  const engine = createEngine({ dataDir: dir.path, clock, lateWindowSeconds: opts.lateWindowSeconds })
  seedEngine(
    engine,
    shopConfig({
      merchant: { receive: opts.receive },
      chain: { rpcUrls: ['http://127.0.0.1:8545'], confirmations: 1, tokens: demoTokens() },
    }),
  )
  return {
    engine,
    clock,
    dir: dir.path,
    close() {
      engine.close()
      dir.cleanupSync()
    },
  }
}
