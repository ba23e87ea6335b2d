import { CLOCK_DRIFT_WARNING_SECONDS } from '../../../src-preload/contract'
import type { StringKey } from '../i18n'
import { useT } from '../i18n'
import { useChainClockStore, useShopStore } from '../state'

/** The distance in the unit a person would say: minutes up to 2 hours, hours up to 2 days, then days. */
function distance(seconds: number): { key: StringKey; n: number } {
  const s = Math.abs(seconds)
  if (s < 2 * 3600) return { key: 'cashier.clockMinutes', n: Math.round(s / 60) }
  if (s < 2 * 86_400) return { key: 'cashier.clockHours', n: Math.round(s / 3600) }
  return { key: 'cashier.clockDays', n: Math.round(s / 86_400) }
}

/**
 * The till's clock is more than 2 minutes off a network's block times. Sales
 * still work (payments are matched by the network's time) but their times on
 * receipts and reports are off, and expiry follows the wrong clock: the
 * cashier should know, and who can fix the clock should.
 */
export function ClockDriftBanner() {
  const t = useT()
  const drift = useChainClockStore((s) => s.drift)
  const chains = useShopStore((s) => s.chains)
  const off = Object.entries(drift).filter(
    (entry): entry is [string, number] => entry[1] !== null && Math.abs(entry[1]) > CLOCK_DRIFT_WARNING_SECONDS,
  )
  if (off.length === 0) return null
  return (
    <>
      {off.map(([chainId, seconds]) => {
        const network = chains.find((c) => c.chain_id === Number(chainId))?.name ?? `#${chainId}`
        const d = distance(seconds)
        return (
          <p
            key={chainId}
            className="notice notice-warn clock-drift"
            role="alert"
            data-testid="clock-drift"
            data-chain-id={chainId}
            data-drift-seconds={seconds}
          >
            {t(seconds > 0 ? 'cashier.clockAhead' : 'cashier.clockBehind', { network, off: t(d.key, { n: d.n }) })}
          </p>
        )
      })}
    </>
  )
}
