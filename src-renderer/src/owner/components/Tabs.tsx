/** A row of tabs (role tablist); the panel below is the caller's. Arrow keys move between tabs. */
export function Tabs<T extends string>({
  tabs,
  value,
  onChange,
  label,
}: {
  tabs: Array<{ id: T; label: string; badge?: number }>
  value: T
  onChange: (id: T) => void
  label: string
}) {
  return (
    <div className="owner-tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === value}
          tabIndex={tab.id === value ? 0 : -1}
          className="owner-tab"
          data-testid={`tab-${tab.id}`}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => {
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
            if (!step) return
            const next = tabs[(i + step + tabs.length) % tabs.length]
            if (next) {
              onChange(next.id)
              document.getElementById(`tab-${next.id}`)?.focus()
            }
          }}
        >
          {tab.label}
          {tab.badge ? <span className="owner-badge">{tab.badge}</span> : null}
        </button>
      ))}
    </div>
  )
}
