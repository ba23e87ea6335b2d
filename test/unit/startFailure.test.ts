/**
 * A desktop start that fails shows the owner why, in one sentence, and where
 * the log is (src-main/electron/startFailure.ts, the dialog injected): here
 * with the real failures, a database file that is empty and a config that is
 * not valid, on real files.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { startApp } from '../../src-main/app'
import { DATABASE_FILE } from '../../src-main/engine'
import { showStartFailure } from '../../src-main/electron/startFailure'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function dialog(): { shown: Array<{ title: string; content: string }>; showErrorBox(title: string, content: string): void } {
  const shown: Array<{ title: string; content: string }> = []
  return { shown, showErrorBox: (title, content) => shown.push({ title, content }) }
}

async function failedStart(dataDir: string, config?: Parameters<typeof startApp>[0]['config']): Promise<unknown> {
  try {
    const app = await startApp({ dataDir, config })
    await app.stop()
  } catch (error) {
    return error
  }
  throw new Error('the start did not fail')
}

it('an empty database file: the reason in one sentence, and the log folder', async () => {
  const dir = makeTempDir('start-failure-empty')
  cleanups.push(() => dir.cleanup())
  writeFileSync(join(dir.path, DATABASE_FILE), '')
  const error = await failedStart(dir.path)
  const box = dialog()
  const logDir = join(dir.path, 'logs')
  showStartFailure(box, error, { dataDir: dir.path, logDir })
  expect(box.shown).toHaveLength(1)
  expect(box.shown[0]!.title).toBe('StablePay POS could not start')
  const [sentence, log] = box.shown[0]!.content.split('\n\n')
  expect(sentence).toMatch(/^StablePay POS could not start: .*stablepay\.sqlite.*empty/)
  expect(sentence).not.toMatch(/\n|at .*\.ts:\d+/)
  expect(log).toBe(`The log is in ${logDir}.`)
})

it('a config that is not valid: says which setting; without a log, names the data folder', async () => {
  const dir = makeTempDir('start-failure-config')
  cleanups.push(() => dir.cleanup())
  const config = shopConfig({ chain: { rpcUrls: ['not a url'] } })
  const error = await failedStart(dir.path, config)
  const box = dialog()
  const shown = showStartFailure(box, error, { dataDir: dir.path, logDir: null })
  expect(shown).toMatch(
    /^StablePay POS could not start: a setting is not valid: .+\.\n\nNo log could be written \(the data folder is .+\)\.$/,
  )
})
