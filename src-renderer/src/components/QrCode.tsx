import QRCode from 'qrcode'
import { useMemo } from 'react'

/** ISO/IEC 18004 asks for four modules of white around the code; cropping it makes phones fail. */
const QUIET_ZONE = 4

/**
 * An EIP-681 payment QR, pure black on white whatever the theme (a dark-mode
 * inverted code is unreadable to many wallets). Drawn as an SVG with a whole
 * number of pixels per module so the edges stay sharp for a phone camera.
 */
export function QrCode({ value, size, label, testId }: { value: string; size: number; label: string; testId?: string }) {
  const { path, total } = useMemo(() => {
    // Level L: the payload is long (two addresses and an amount) and a screen is a clean surface;
    // fewer, bigger modules scan from further away than more error correction would.
    const code = QRCode.create(value, { errorCorrectionLevel: 'L' })
    const n = code.modules.size
    let d = ''
    for (let row = 0; row < n; row++) {
      let col = 0
      while (col < n) {
        if (!code.modules.get(row, col)) {
          col++
          continue
        }
        let run = 1
        while (col + run < n && code.modules.get(row, col + run)) run++
        d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`
        col += run
      }
    }
    return { path: d, total: n + 2 * QUIET_ZONE }
  }, [value])
  const pixels = Math.max(1, Math.floor(size / total)) * total
  return (
    <svg
      className="qr"
      width={pixels}
      height={pixels}
      viewBox={`0 0 ${total} ${total}`}
      shapeRendering="crispEdges"
      role="img"
      aria-label={label}
      data-testid={testId}
      data-payload={value}
    >
      <rect width={total} height={total} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  )
}
