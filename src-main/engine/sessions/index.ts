export { Sessions } from './service'
export type { CreateSessionInput, SessionsOptions, SessionRow, OptionRow } from './service'
export { TRANSITIONS, OPEN_STATUSES, canTransition, assertTransition, eventTypeFor } from './stateMachine'
