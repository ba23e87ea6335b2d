/**
 * The chain watcher: one follower per enabled chain (viem, HTTP fallback and
 * WebSocket heads), feeding the payments module, plus the UI handlers for chain
 * state, transfers and the dev-chain payment simulator.
 */
export { ChainWatchers } from './watchers'
export type { ChainWatchersOptions } from './watchers'
export type { WatcherTuning } from './chainWatcher'
export { registerWatcherHandlers, simulatedAmount, DEVNET_CHAIN_ID } from './handlers'
export { classifyError, isRangeRefusal } from './rpc'
