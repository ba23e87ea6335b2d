export { SetupScreen } from './SetupScreen'
