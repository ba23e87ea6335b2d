import { createHmac } from 'node:crypto'
import { expect, it } from 'vitest'
import { verifyWebhook, WebhookVerificationError } from '../../src-main/engine/webhooks/verify'

const now = 1_790_000_000
const body = JSON.stringify({ id: 'evt_1', type: 'payment.completed', created: now, livemode: false, data: { object: { id: 'ps_1' } } })
const nonce = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
const signedWith = (secret: string) => ({
  'x-stablepay-signature': createHmac('sha256', secret).update(`${now}.${nonce}.${body}`).digest('hex'),
  'x-stablepay-timestamp': String(now),
  'x-stablepay-nonce': nonce,
})

it('refuses to verify with an empty or short secret, even an event signed with that same secret (a forgery)', () => {
  for (const secret of ['', 'short', '123456789012345']) {
    let thrown: unknown
    try {
      verifyWebhook(body, signedWith(secret), secret, { now })
    } catch (error) {
      thrown = error
    }
    // A set-up mistake, not a bad request: not a WebhookVerificationError, so the receiver answers 500 and the event is retried.
    expect(thrown).toBeInstanceOf(TypeError)
    expect(thrown).not.toBeInstanceOf(WebhookVerificationError)
    expect((thrown as Error).message).toMatch(/at least 16 characters/)
  }
  expect(() => verifyWebhook(body, signedWith(''), undefined as unknown as string, { now })).toThrow(TypeError)
  // A real secret still verifies.
  const secret = 'whsec_0123456789abcdefghij'
  expect(verifyWebhook(body, signedWith(secret), secret, { now }).id).toBe('evt_1')
})
