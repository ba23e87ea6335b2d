/**
 * Reports on payment sessions for the owner: daily totals in the shop's time
 * zone (`sessions:totals`) and the streamed CSV export of a filtered set.
 * Both read the same filtered set as the History list (sessions/filter.ts).
 */
export { sessionTotals, BUCKET_SECONDS } from './totals'
export { writeSessionsCsv, csvCell, csvRow, CSV_COLUMNS, CSV_HEADER, CSV_PAGE_ROWS, UTF8_BOM } from './csv'
export type { CsvOptions } from './csv'
export { exportSessionsCsvToFile } from './file'
export { registerReportHandlers } from './handlers'
export { writeRefundsCsv, exportRefundsCsvToFile, REFUNDS_CSV_COLUMNS, REFUNDS_CSV_HEADER } from './refundsCsv'
export { writeLineItemsCsv, exportLineItemsCsvToFile, LINE_ITEMS_CSV_COLUMNS, LINE_ITEMS_CSV_HEADER } from './lineItemsCsv'
