/**
 * Signs in as a new device the way a page does (#13): `POST /bridge/sign-in`
 * with the printed token; every bridge call then carries the cookie and the
 * header token. For tests that call the bridge without a browser. With
 * `ownerPin`, the owner then enters the PIN on it: the device holds the owner
 * role (a LAN device never holds it without a PIN, #13).
 */
export interface SignedIn {
  cookie: string
  session: string
  /** Both, for a request's headers. */
  headers: { cookie: string; 'x-stablepay-session': string }
}

export async function signInDevice(origin: string, token: string, ownerPin?: string): Promise<SignedIn> {
  const res = await fetch(`${origin}/bridge/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ token }),
  })
  const body = (await res.json()) as { ok: boolean; value?: { session: string }; error?: { message: string } }
  if (!res.ok || !body.ok || !body.value) throw new Error(`sign-in refused (${res.status}): ${body.error?.message ?? ''}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  const device = { cookie, session: body.value.session, headers: { cookie, 'x-stablepay-session': body.value.session } }
  if (ownerPin !== undefined) {
    const unlocked = await fetch(`${origin}/bridge/invoke/owner:unlock`, {
      method: 'POST',
      headers: { ...device.headers, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: ownerPin }),
    })
    const answer = (await unlocked.json()) as { ok: boolean; error?: { message: string } }
    if (!answer.ok) throw new Error(`owner:unlock refused: ${answer.error?.message ?? ''}`)
  }
  return device
}

/** A one-time download ticket for `path` (export/sessions.csv, export/diagnostics.zip). */
export async function downloadTicketUrl(origin: string, device: SignedIn, path: string): Promise<string> {
  const res = await fetch(`${origin}/bridge/download-ticket`, { method: 'POST', headers: { ...device.headers, origin } })
  const body = (await res.json()) as { value: { ticket: string } }
  return `${origin}${path}${path.includes('?') ? '&' : '?'}ticket=${body.value.ticket}`
}
