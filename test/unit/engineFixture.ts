import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Engine } from '../../src-main/engine'
import { createEngine, ManualClock } from '../../src-main/engine'

export const SHOP_ADDRESS = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
export const USDC6 = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
export const USDT18 = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'

export interface Shop {
  engine: Engine
  clock: ManualClock
  dir: string
  close(): void
}

/** A real engine on a real SQLite file in a temp folder, with a local testnet offering a 6- and an 18-decimal token. */
export function openShop(opts: { receive?: { mode: 'address'; address: string } | { mode: 'xpub'; xpub: string }; lateWindowSeconds?: number } = {}): Shop {
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-unit-'))
  const clock = new ManualClock()
  const engine = createEngine({ dataDir: dir, clock, lateWindowSeconds: opts.lateWindowSeconds })
  engine.merchants.upsert({ id: 'merchant_123', name: 'Corner Cafe', currency: 'USD', receive: opts.receive ?? { mode: 'address', address: SHOP_ADDRESS } })
  engine.networks.update({
    chainId: 31337,
    name: 'Local',
    testnet: true,
    rpcUrls: ['http://127.0.0.1:8545'],
    confirmations: 1,
    tokens: [
      { symbol: 'USDC', address: USDC6, decimals: 6 },
      { symbol: 'USDT', address: USDT18, decimals: 18 },
    ],
  })
  return {
    engine,
    clock,
    dir,
    close() {
      engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
