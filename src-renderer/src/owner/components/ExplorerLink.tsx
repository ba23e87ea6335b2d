import type { ChainConfig } from '../../../../src-preload/contract'

/** "0x1234…cdef": enough to recognise a hash or address in a dense row. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash
}

/** The chain's block explorer page for a transaction (explorer_url + /tx/<hash>), or null for a chain without one. */
function explorerTxUrl(chain: ChainConfig | undefined, txHash: string): string | null {
  if (!chain?.explorer_url) return null
  return `${chain.explorer_url.replace(/\/+$/, '')}/tx/${encodeURIComponent(txHash)}`
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
  const href = explorerTxUrl(chain, txHash)
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
