/**
 * The log must never be what takes the till down: on a full disk its file
 * cannot be written (here for real: the log file is Linux's /dev/full, whose
 * every write fails with ENOSPC), and the app keeps answering (sales refused
 * 507, reads served) instead of dying of an unhandled stream error.
 */
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { log, startLogging } from '../../src-main/engine/log'
import { makeTempDir } from '../support/tempDir'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('the log on a full disk', () => {
  it.runIf(process.platform === 'linux')('drops what it cannot write, keeps the process up, and stops cleanly', async () => {
    const dir = makeTempDir('stablepay-log-full')
    cleanups.push(() => dir.cleanup())
    mkdirSync(join(dir.path, 'logs'))
    symlinkSync('/dev/full', join(dir.path, 'logs', 'stablepay.1.log'))
    const unhandled: unknown[] = []
    const onError = (error: unknown) => unhandled.push(error)
    process.on('uncaughtException', onError)
    cleanups.push(() => void process.off('uncaughtException', onError))

    const stop = await startLogging({ dataDir: dir.path, level: 'debug' })
    for (let i = 0; i < 50; i++) log('test').warn({ i, pad: 'x'.repeat(200) }, 'write refused: the disk holding the database is full')
    await new Promise((resolve) => setTimeout(resolve, 200))
    // Stopping does not wait forever for a file it cannot flush.
    await Promise.race([stop(), new Promise((_, reject) => setTimeout(() => reject(new Error('stop() hung')), 3000))])
    expect(unhandled).toEqual([])
  })
})
