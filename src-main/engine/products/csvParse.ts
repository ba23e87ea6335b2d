/**
 * A small RFC 4180 reader for the owner's product files. No CSV library is
 * installed; this is the one function a library would replace (csv-parse's
 * `parse(text, { bom: true, relax_column_count: true })` returns the same
 * string[][]), so swapping it is a change to this file alone.
 *
 * What it reads: fields separated by commas, records by CRLF or LF (a lone
 * CR too, as old Mac exports have it); a field in double quotes may hold
 * commas, line breaks and doubled quotes (""); a UTF-8 byte-order mark at the
 * start is dropped (Excel writes one); a final line break does not make an
 * empty record, and nor do blank lines. A quote inside an unquoted field is
 * kept as text, as spreadsheets do. An unclosed quoted field is an error (it
 * would swallow the rest of the file).
 */
export class CsvParseError extends Error {
  override readonly name = 'CsvParseError'
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields)
}

/** The records with the line each starts on (a quoted field may span lines): for the owner's error list. */
export function parseCsvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: Array<{ line: number; fields: string[] }> = []
  let recordLine = 1
  let record: string[] = []
  let field = ''
  let i = 0
  let line = 1
  // A record that is only an empty unquoted field is a blank line, not a record.
  let quotedInRecord = false
  const endRecord = () => {
    record.push(field)
    if (record.length > 1 || record[0] !== '' || quotedInRecord) records.push({ line: recordLine, fields: record })
    record = []
    field = ''
    quotedInRecord = false
  }
  while (i < s.length) {
    const c = s[i]
    if (c === '"' && field === '') {
      // A quoted field: up to the closing quote, "" is one quote.
      const startLine = line
      quotedInRecord = true
      i++
      for (;;) {
        if (i >= s.length) throw new CsvParseError(`a quoted field opened on line ${startLine} is never closed`, startLine)
        const q = s[i]
        if (q === '"') {
          if (s[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (q === '\n') line++
        field += q
        i++
      }
      // After the closing quote: text up to the separator is kept (lenient, like spreadsheets).
      while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++]
      continue
    }
    if (c === ',') {
      record.push(field)
      field = ''
      i++
    } else if (c === '\r' || c === '\n') {
      endRecord()
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else {
      field += c
      i++
    }
  }
  if (field !== '' || record.length > 0 || quotedInRecord) endRecord()
  return records
}
