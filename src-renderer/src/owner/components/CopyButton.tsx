import { useEffect, useState } from 'react'

/** Copies text to the clipboard and says so; falls back to selecting it where the clipboard is refused. */
export function CopyButton({
  text,
  label,
  copiedLabel,
  targetId,
  testId,
}: {
  text: string
  label: string
  copiedLabel: string
  targetId?: string
  testId?: string
}) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(true)
    } catch {
      // No clipboard permission (plain http on a LAN tablet): select the text so the owner can copy it by hand.
      const target = targetId ? document.getElementById(targetId) : null
      if (target) {
        const range = document.createRange()
        range.selectNodeContents(target)
        const selection = window.getSelection()
        selection?.removeAllRanges()
        selection?.addRange(range)
      }
    }
  }
  return (
    <button type="button" className="btn btn-secondary" onClick={() => void copy()} data-testid={testId} aria-live="polite">
      {copied ? `✓ ${copiedLabel}` : label}
    </button>
  )
}
