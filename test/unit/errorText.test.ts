/**
 * What the cashier reads when a sale cannot be taken because the disk is full
 * or the price's unique amounts are all held: the engine's own English words,
 * and a Chinese translation of the code (not the English left as it is).
 */
import { describe, expect, it } from 'vitest'
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

  it('no unique amount left: the engine’s message in English, a translation in Chinese', () => {
    const error = { code: 'amount_space_exhausted', message: 'Another open sale already asks for exactly 99.99 GUSD at this address …' }
    expect(errorText('en', error)).toBe(error.message)
    expect(errorText('zh-CN', error)).toMatch(/^其他未完成的收款已在使用这个金额/)
  })
})
