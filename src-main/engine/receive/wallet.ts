import type { ChainConfig } from '../../../src-preload/contract'
import type { Db } from '../db'
import { invalid } from '../errors'
import { errorFields, log } from '../log'

/** The JSON-RPC calls the check needs: the chain's own RPC client (watcher/rpc.ts ChainRpc) answers them. */
export interface WalletRpc {
  request<T>(method: string, params: unknown[]): Promise<T>
}

export interface WalletReport {
  /** Networks where the address holds code (a token or other contract, a smart account): money sent there may be lost. */
  contractOn: string[]
  /** No transaction sent from it and no token balance on any network that answered; null when none answered. */
  neverUsed: boolean | null
}

/** What the watchers provide for a chain (its running RPC client, else a short-lived one). */
export type WalletProbe = (chain: ChainConfig) => WalletRpc

const probes = new WeakMap<Db, WalletProbe>()

/** Set by the chain watchers when they run (the engine itself holds no RPC client). */
export function setWalletProbe(db: Db, probe: WalletProbe): void {
  probes.set(db, probe)
}

const BALANCE_OF = '0x70a08231'

/**
 * Is this receiving address a wallet on these networks? `eth_getCode` says
 * whether anything but a plain key-held account lives there (a token contract
 * pasted by mistake is the classic); the nonce and the enabled tokens'
 * balances say whether it was ever used. A network that does not answer is
 * left out (logged), never taken as a "no".
 */
export async function checkWallet(db: Db, address: string, chains: ChainConfig[]): Promise<WalletReport | null> {
  const probe = probes.get(db)
  if (!probe || chains.length === 0) return null
  const results = await Promise.all(
    chains.map(async (chain) => {
      const rpc = probe(chain)
      try {
        const code = await rpc.request<string>('eth_getCode', [address, 'latest'])
        if (code && code !== '0x') return { chain, contract: true, used: true }
        const nonce = await rpc.request<string>('eth_getTransactionCount', [address, 'latest'])
        if (BigInt(nonce || '0x0') > 0n) return { chain, contract: false, used: true }
        const data = `${BALANCE_OF}${address.slice(2).toLowerCase().padStart(64, '0')}`
        for (const token of chain.tokens) {
          const balance = await rpc.request<string>('eth_call', [{ to: token.address, data }, 'latest'])
          if (balance && balance !== '0x' && BigInt(balance) > 0n) return { chain, contract: false, used: true }
        }
        return { chain, contract: false, used: false }
      } catch (error) {
        log('receive').warn({ chainId: chain.chain_id, ...errorFields(error) }, 'receiving address check: network did not answer')
        return null
      }
    }),
  )
  const answered = results.filter((r) => r !== null)
  return {
    contractOn: answered.filter((r) => r.contract).map((r) => r.chain.name),
    neverUsed: answered.length === 0 ? null : answered.every((r) => !r.used),
  }
}

/** Refuses an address with code on any of these networks, in words the owner can act on; `param` names the field it came in. */
export async function requireWallet(db: Db, address: string, chains: ChainConfig[], param = 'address'): Promise<WalletReport | null> {
  const report = await checkWallet(db, address, chains)
  if (report && report.contractOn.length > 0)
    throw invalid(
      'receive_not_wallet',
      `${address} is a contract on ${report.contractOn.join(', ')} (for example a token's own address), not a wallet: ` +
        'money sent there could be lost. Paste the address of the shop’s wallet instead.',
      param,
    )
  return report
}
