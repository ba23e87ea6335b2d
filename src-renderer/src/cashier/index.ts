// The cashier room's door.
export { CashierScreen } from './CashierScreen'
