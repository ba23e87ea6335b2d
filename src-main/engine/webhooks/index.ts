/**
 * Webhooks: a durable, signed outbox that keeps the back office in sync.
 * See docs/webhooks.md for what a receiver sees and how to verify it.
 */
export { Webhooks } from './service'
export type { WebhooksOptions, DeliveryFilter } from './service'
export { registerWebhookHandlers } from './handlers'
export { FileKeySecretBox, SecretBoxError, SECRET_KEY_FILE } from './secretBox'
export type { SecretBox } from './secretBox'
export { WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE, generateSecret } from './endpoints'
export type { WebhookEventType, EndpointInput } from './endpoints'
export { DEFAULT_RETRY_POLICY, classify, retryAfterMs, retryBackoffMs } from './policy'
export type { RetryPolicy, Verdict } from './policy'
export { verifyWebhook, WebhookVerificationError } from './verify'
export type { StablePayEvent, VerifyWebhookOptions, WebhookHeaders, WebhookVerificationReason } from './verify'
