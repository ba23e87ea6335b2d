import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { Engine } from '..'
import { writeSessionsCsv } from './csv'
import type { SessionScope } from '../sessions'

/**
 * A CSV export to a file the owner chose (Electron's save dialog): written
 * beside it under a temporary name and renamed when complete, so a failed or
 * interrupted export never leaves a half file that looks whole. `write` is
 * the export's own streaming writer (sales, refunds).
 */
export async function exportCsvToFile(
  path: string,
  write: (sink: Writable) => Promise<{ rows: number; complete: boolean }>,
): Promise<{ rows: number }> {
  const partial = `${path}.part`
  const file = createWriteStream(partial, { flags: 'w' })
  try {
    const { rows, complete } = await write(file)
    if (!complete) throw new Error('the export file was closed before it was complete')
    file.end()
    await finished(file)
    await rename(partial, path)
    return { rows }
  } catch (error) {
    file.destroy()
    await rm(partial, { force: true })
    throw error
  }
}

export function exportSessionsCsvToFile(engine: Engine, scope: SessionScope, rawFilter: unknown, path: string): Promise<{ rows: number }> {
  return exportCsvToFile(path, (sink) => writeSessionsCsv(engine, scope, rawFilter, sink))
}
