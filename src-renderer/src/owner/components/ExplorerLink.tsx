import type { ChainConfig } from '../../../../src-preload/contract'
import { explorerTxUrl } from '../../../../src-preload/shared/validate'

/** "0x1234…cdef": enough to recognise a hash or address in a dense row. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash
}

/**
 * A transaction hash, linked to the explorer when the chain has one. Opened
 * outside the app: a new browser tab in serve mode, the system browser in
 * Electron (its window-open handler sends links to shell.openExternal).
 */
export function ExplorerLink({
  chain,
  txHash,
  full = false,
  title,
}: {
  chain: ChainConfig | undefined
  txHash: string
  full?: boolean
  title?: string
}) {
  // The chain's block explorer page for the transaction, or none for a chain without an explorer.
  const href = chain?.explorer_url ? explorerTxUrl(chain.explorer_url, txHash) : null
  const text = full ? txHash : shortHash(txHash)
  if (!href)
    return (
      <span className="mono" title={txHash}>
        {text}
      </span>
    )
  return (
    <a className="mono" href={href} target="_blank" rel="noopener noreferrer" title={title ?? txHash} onClick={(e) => e.stopPropagation()}>
      {text} ↗
    </a>
  )
}
