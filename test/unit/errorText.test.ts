/**
 * What the cashier reads when something is refused (#15): the sentence of the error's code, in English and
 * Chinese, never the engine's own words (a developer's detail, which goes to the log). Every code the app can
 * answer with has both sentences.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine, ManualClock } from '../../src-main/engine'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import { captureLog } from '../../src-main/engine/log'
import { ERROR_CODES } from '../../src-preload/shared/errorCodes'
import { describeError, ERROR_SENTENCES } from '../../src-renderer/src/i18n/errors'
import { isStorageFull, isStorageUnavailable, STORAGE_FULL_MESSAGE, STORAGE_UNAVAILABLE_MESSAGE } from '../../src-main/engine/errors'
import { toContractError } from '../../src-main/engine/handlers/registry'
import { errorText } from '../../src-renderer/src/i18n/errors'

describe('the cashier’s words for failing cleanly', () => {
  it('a full disk: "not saved, free some space", in English and Chinese', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    expect(isStorageFull(sqliteFull)).toBe(true)
    const error = toContractError(sqliteFull)
    expect(error).toEqual({ code: 'storage_full', message: STORAGE_FULL_MESSAGE })
    expect(errorText('en', error)).toMatch(/disk .* is full, so this was not saved\. Free some space/)
    expect(errorText('zh-CN', error)).toBe(
      '存放店铺数据的磁盘已满，这次操作没有保存。请清理这台电脑的磁盘空间后再试；已保存的收款不受影响。',
    )
  })

  it('a disk turned read-only or gone: "not saved, check the disk", in English and Chinese; a full disk stays "full"', () => {
    // SQLite's words for a read-only file or connection, and for a write the kernel refused (EROFS after a remount, a pulled USB disk).
    for (const code of ['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'EROFS']) {
      const refused = Object.assign(new Error('attempt to write a readonly database'), { code })
      expect(isStorageUnavailable(refused)).toBe(true)
      expect(toContractError(refused)).toEqual({ code: 'storage_unavailable', message: STORAGE_UNAVAILABLE_MESSAGE })
    }
    expect(isStorageUnavailable(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(false)
    expect(isStorageUnavailable(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false)
    const error = { code: 'storage_unavailable', message: STORAGE_UNAVAILABLE_MESSAGE }
    expect(errorText('en', error)).toMatch(/read-only or stopped answering, so this was not saved/)
    expect(errorText('zh-CN', error)).toMatch(/^店铺数据无法保存/)
  })

  it('no unique amount left: the sentence in English and in Chinese', () => {
    const error = { code: 'amount_space_exhausted', message: 'Another open sale already asks for exactly 99.99 GUSD at this address …' }
    expect(errorText('en', error)).toMatch(/^Other open sales already ask for this exact price/)
    expect(errorText('zh-CN', error)).toMatch(/^其他未完成的收款已在使用这个金额/)
  })
})

const CJK = /[\u4e00-\u9fff]/
/** What an engine or Node message looks like, and a sentence never does. */
const RAW = /ECONN|ENOTFOUND|checksum mismatch|must be an integer|undefined|null|\b[a-z]+_[a-z_]+\b|Error:/

describe('every error code in the cashier’s words', () => {
  it('each code has an English and a Chinese sentence, and nothing else is in the table', () => {
    expect(Object.keys(ERROR_SENTENCES).sort()).toEqual([...ERROR_CODES].sort())
    for (const code of ERROR_CODES) {
      const { en, zh } = ERROR_SENTENCES[code]
      expect(en.length, code).toBeGreaterThan(5)
      expect(en, code).toMatch(/^[A-Z].*[.)]$/)
      expect(en, code).not.toMatch(RAW)
      expect(zh, code).toMatch(CJK)
      // Only names stay in Latin letters in Chinese (the same rule as the owner strings' test).
      expect(zh.replace(/StablePay POS|StablePay|PIN|RPC|API|Webhook|xpub|ownerPin|PNG|JPEG|WebP|KB/g, ''), code).not.toMatch(/[A-Za-z]{2,}/)
    }
  })

  it('the screens show the sentence, not the engine’s message, in both languages', () => {
    const raw = { code: 'address_invalid', message: 'not a valid address: checksum mismatch' }
    expect(errorText('en', raw)).not.toContain('checksum')
    expect(errorText('en', raw)).toBe(ERROR_SENTENCES.address_invalid.en)
    expect(errorText('zh-CN', raw)).toBe(ERROR_SENTENCES.address_invalid.zh)
    const parse = { code: 'parameter_invalid', message: 'networks[0].confirmations: must be an integer from 1 to 1000' }
    expect(errorText('en', parse)).not.toMatch(/integer|confirmations/)
    // A code this page does not know (a newer app): a plain sentence naming it for support, in the cashier's language.
    expect(errorText('zh-CN', { code: 'brand_new_code', message: 'Something new' })).toBe('操作没有完成（brand_new_code）。请重试；如果一直出现，请联系店主。')
  })

  it('anything thrown (a browser TypeError, a Node error) shows as a sentence, never its raw text', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'ECONNREFUSED' })
    expect(describeError('en', refused)).not.toContain('ECONNREFUSED')
    expect(describeError('en', new TypeError('Failed to fetch'))).toBe(ERROR_SENTENCES.unexpected.en)
    expect(describeError('zh-CN', { code: 'pin_wrong', message: 'Wrong PIN.' })).toBe('PIN 错误。')
  })

  it('the engine answers only the app’s codes: a library error’s own code becomes internal_error (and is logged)', () => {
    const node = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'econnrefused_like' })
    const log = captureLog('info')
    try {
      expect(toContractError(node).code).toBe('internal_error')
      expect(log.text()).toContain('econnrefused_like')
    } finally {
      log.stop()
    }
  })

  it('a refused call’s detail (which field, why) goes to the engine’s log; the screen gets the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stablepay-errors-'))
    const engine = createEngine({ dataDir: dir, clock: new ManualClock() })
    const log = captureLog('info')
    try {
      const result = await createHandlerRegistry(engine).invoke('setup:preview-xpub', { xpub: '0x52908400098527886e0F7030069857D2E4169EE8' })
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.error.code).toBe('address_invalid')
      expect(errorText('en', result.error)).toBe(ERROR_SENTENCES.address_invalid.en)
      const line = log.lines.find((l) => l.msg === 'call refused')
      expect(line).toMatchObject({ channel: 'setup:preview-xpub', code: 'address_invalid' })
      expect(String(line?.detail)).toMatch(/checksum/)
    } finally {
      log.stop()
      engine.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
