/**
 * The owner screens (lazy-loaded by App.tsx): History, Webhooks and
 * Settings. Their styles come with them, so the cashier's first paint
 * carries none of this.
 */
import './owner.css'

export { HistoryScreen } from './history/HistoryScreen'
export { WebhooksScreen } from './webhooks/WebhooksScreen'
export { SettingsScreen } from './settings/SettingsScreen'
export { AuditScreen } from './audit/AuditScreen'
