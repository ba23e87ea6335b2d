/**
 * The payment page's script (#12), built on its own to /pay.js (see
 * electron.vite.config.ts) and loaded by the page `GET /pay/:id` renders on
 * the server (src-main/http/payPage.ts). The page is whole without it; this
 * only makes it live: the token/network choice, the copy buttons, the expiry
 * countdown, and polling `/pay/:id/status`. When the state changes the page
 * reloads (the server draws every state) or, once paid, goes to success_url.
 * No framework: a phone opening a link should not download the till's app.
 */

type PayState = 'waiting' | 'confirming' | 'underpaid' | 'paid' | 'expired' | 'cancelled'

const POLL_MS = 2000
/** Slower once expired: a payment within the late window can still complete the sale. */
const POLL_EXPIRED_MS = 10_000

function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}

function start(main: HTMLElement): void {
  const state = main.dataset.state as PayState
  const statusUrl = main.dataset.statusUrl ?? ''
  const successUrl = main.dataset.successUrl
  const expiresLabel = main.dataset.expiresLabel ?? '{time}'
  const countdownEl = main.querySelector<HTMLElement>('.countdown')

  if (state === 'paid' && successUrl) {
    window.location.assign(successUrl)
    return
  }

  // The choice of token and network shows that option's QR, link, address and amount.
  for (const input of main.querySelectorAll<HTMLInputElement>('.choices input[name="option"]')) {
    input.addEventListener('change', () => {
      for (const section of main.querySelectorAll<HTMLElement>('.option')) section.hidden = section.dataset.option !== input.value
    })
  }

  for (const button of main.querySelectorAll<HTMLButtonElement>('button.copy')) {
    const label = button.textContent ?? ''
    button.addEventListener('click', () => {
      const text = button.dataset.copy ?? ''
      navigator.clipboard.writeText(text).then(
        () => {
          button.textContent = `✓ ${button.dataset.copied ?? ''}`
          setTimeout(() => (button.textContent = label), 2000)
        },
        () => {
          // No clipboard (plain http on a LAN address): select the value so it can be copied by hand.
          const value = button.parentElement?.querySelector('.value')
          if (!value) return
          const range = document.createRange()
          range.selectNodeContents(value)
          window.getSelection()?.removeAllRanges()
          window.getSelection()?.addRange(range)
        },
      )
    })
  }

  // The till's clock decides the seconds left; the phone only counts them down from when it heard them.
  let secondsLeft = Number(main.dataset.secondsLeft ?? '0')
  let heardAt = performance.now()
  const tick = () => {
    if (!countdownEl) return
    const left = secondsLeft - (performance.now() - heardAt) / 1000
    countdownEl.textContent = expiresLabel.replace('{time}', countdown(Math.ceil(left)))
  }
  if (countdownEl) setInterval(tick, 500)

  if (state === 'paid' || state === 'cancelled') return
  const poll = async () => {
    try {
      const response = await fetch(statusUrl, { cache: 'no-store', headers: { Accept: 'application/json' } })
      if (response.ok) {
        const next = (await response.json()) as { state: PayState; seconds_left: number }
        if (next.state !== state) {
          if (next.state === 'paid' && successUrl) window.location.assign(successUrl)
          else window.location.reload()
          return
        }
        secondsLeft = next.seconds_left
        heardAt = performance.now()
      }
    } catch {
      // Offline for a moment (a phone between networks): the next poll tries again.
    }
    setTimeout(() => void poll(), state === 'expired' ? POLL_EXPIRED_MS : POLL_MS)
  }
  setTimeout(() => void poll(), POLL_MS)
}

const main = document.querySelector<HTMLElement>('main.pay')
if (main) start(main)

// A module, so the bundler keeps it as one plain file with no loader around it.
export {}
