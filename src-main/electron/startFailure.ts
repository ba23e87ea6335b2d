import { join } from 'node:path'
import { DATABASE_FILE, databaseProblem, EngineError } from '../engine'
import { ConfigError } from '../engine/config'

/** The one part of Electron's `dialog` this needs: injected, so the words are tested in plain Node. */
export interface ErrorDialog {
  showErrorBox(title: string, content: string): void
}

/**
 * A desktop start that failed (the database refused, a setting invalid): the
 * owner sees why in one sentence and where the log is, instead of an app that
 * silently never opens. Returns what was shown. No electron import here.
 */
export function showStartFailure(dialog: ErrorDialog, error: unknown, where: { dataDir: string; logDir: string | null }): string {
  const reason =
    databaseProblem(error, join(where.dataDir, DATABASE_FILE)) ??
    (error instanceof ConfigError || error instanceof EngineError ? `a setting is not valid: ${error.message}` : null) ??
    (error instanceof Error ? error.message : String(error))
  const sentence = `StablePay POS could not start: ${reason.replace(/\.?\s*$/, '.')}`
  const log = where.logDir ? `The log is in ${where.logDir}.` : `No log could be written (the data folder is ${where.dataDir}).`
  const content = `${sentence}\n\n${log}`
  dialog.showErrorBox('StablePay POS could not start', content)
  return content
}
