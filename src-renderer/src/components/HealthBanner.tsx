import { useEffect, useState } from 'react'
import { useT } from '../i18n'
import { useHealthStore, useShopStore } from '../state'

/** How long "connection is back" stays after a problem cleared. */
const BACK_NOTE_MS = 5000

/**
 * The till tells the truth about the world: the engine is unreachable, or a
 * network cannot be reached (then payments on it cannot be seen), and, for a
 * few seconds, that it is back. Shown on the cashier screen and the customer
 * display alike.
 */
export function HealthBanner() {
  const t = useT()
  const server = useHealthStore((s) => s.server)
  const chains = useHealthStore((s) => s.chains)
  const backAt = useHealthStore((s) => s.backAt)
  const networks = useShopStore((s) => s.chains)
  // The "back" note whose few seconds are over.
  const [doneBackAt, setDoneBackAt] = useState<number | null>(null)
  const showBack = backAt !== null && backAt !== doneBackAt

  useEffect(() => {
    if (backAt === null) return
    const timer = setTimeout(() => setDoneBackAt(backAt), BACK_NOTE_MS)
    return () => clearTimeout(timer)
  }, [backAt])

  const offline = Object.entries(chains)
    .filter(([, connection]) => connection === 'offline')
    .map(([chainId]) => networks.find((c) => c.chain_id === Number(chainId))?.name ?? `#${chainId}`)

  if (server === 'down')
    return (
      <p className="notice notice-bad health-banner" role="alert" data-testid="health-banner" data-problem="server">
        {t('health.serverDown')}
      </p>
    )
  if (offline.length > 0)
    return (
      <>
        {offline.map((network) => (
          <p key={network} className="notice notice-bad health-banner" role="alert" data-testid="health-banner" data-problem="network">
            {t('health.chainDown', { network })}
          </p>
        ))}
      </>
    )
  if (showBack)
    return (
      <p className="notice health-banner" role="status" data-testid="health-back">
        {t('health.back')}
      </p>
    )
  return null
}
