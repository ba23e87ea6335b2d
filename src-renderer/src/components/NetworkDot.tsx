/** The network's colour dot, always beside its name (colour never carries meaning alone). */
export function NetworkName({ name, color, className }: { name: string; color: string; className?: string }) {
  return (
    <span className={`network ${className ?? ''}`}>
      <span className="network-dot" style={{ backgroundColor: color }} aria-hidden="true" />
      <span>{name}</span>
    </span>
  )
}
