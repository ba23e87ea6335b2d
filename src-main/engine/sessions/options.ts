/**
 * Payment option ids are `session_seq * 65536 + n` (migration 0005): a
 * session's options are one range of the table's own ids, found without an
 * index of their own. 65,536 options per sale is far beyond any shop's
 * networks plus its remainder QRs.
 */
export const OPTIONS_PER_SESSION = 65536

/** SQL that picks the options of the session `seq` (an SQL expression) by their id range. */
export function optionsOfSession(seq: string, id = 'id'): string {
  return `${id} BETWEEN (${seq}) * ${OPTIONS_PER_SESSION} AND (${seq}) * ${OPTIONS_PER_SESSION} + ${OPTIONS_PER_SESSION - 1}`
}
