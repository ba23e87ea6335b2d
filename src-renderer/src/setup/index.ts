// The first-run wizard's door.
export { SetupScreen } from './SetupScreen'
