/**
 * The "paid" sound: two short rising tones made with WebAudio, so there is no
 * sound file to ship or to block under the CSP. Browsers only let audio start
 * after a user gesture, so `prepareChime()` is called on Charge and the
 * context is reused when the payment lands.
 */
let context: AudioContext | null = null

export function prepareChime(): void {
  try {
    context ??= new AudioContext()
    if (context.state === 'suspended') void context.resume()
  } catch {
    context = null
  }
}

export function playChime(): void {
  if (!context) prepareChime()
  const ctx = context
  if (!ctx) return
  const start = ctx.currentTime + 0.02
  for (const [i, freq] of [880, 1318.5].entries()) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.type = 'sine'
    osc.frequency.value = freq
    const t0 = start + i * 0.14
    gain.gain.setValueAtTime(0.0001, t0)
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.28)
    osc.connect(gain).connect(ctx.destination)
    osc.start(t0)
    osc.stop(t0 + 0.3)
  }
}
