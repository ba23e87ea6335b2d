// The customer display's door.
export { CustomerScreen } from './CustomerScreen'
