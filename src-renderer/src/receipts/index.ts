export { PrintReceipt } from './PrintReceipt'
export { inDesktop, printReceipt } from './print'
