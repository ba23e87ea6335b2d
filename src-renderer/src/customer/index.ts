export { CustomerScreen } from './CustomerScreen'
