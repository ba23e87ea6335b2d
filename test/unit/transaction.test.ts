import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import { nowSeconds } from '../../src-main/engine'
import { afterCommit, transaction } from '../../src-main/engine/db/transaction'
import { Payments } from '../../src-main/engine/payments'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from './engineFixture'
import { captureLog } from '../../src-main/engine/log'

let shop: Shop | undefined
afterEach(() => {
  shop?.close()
  shop = undefined
})

function memoryDb(): Database.Database {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (x INTEGER) STRICT')
  return db
}

describe('one transaction helper', () => {
  it('runs after-commit work once the outermost transaction has committed, in order, keyed work once', () => {
    const db = memoryDb()
    const done: string[] = []
    const result = transaction(db, () => {
      db.exec('INSERT INTO t VALUES (1)')
      afterCommit(db, undefined, () => done.push('a'))
      afterCommit(db, 'k', () => done.push('k'))
      transaction(db, () => {
        afterCommit(db, 'k', () => done.push('k again'))
        afterCommit(db, undefined, () => done.push('b'))
      })
      expect(done).toEqual([])
      return 42
    })
    expect(result).toBe(42)
    expect(done).toEqual(['a', 'k', 'b'])
    // Outside a transaction there is nothing to wait for.
    afterCommit(db, 'k', () => done.push('now'))
    expect(done.at(-1)).toBe('now')
  })

  it('a rollback drops its work: all of it for the outermost, only its own for a savepoint', () => {
    const db = memoryDb()
    const done: string[] = []
    expect(() =>
      transaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)')
        afterCommit(db, 'k', () => done.push('lost'))
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0)
    transaction(db, () => {
      afterCommit(db, undefined, () => done.push('kept'))
      try {
        transaction(db, () => {
          db.exec('INSERT INTO t VALUES (2)')
          afterCommit(db, 'k', () => done.push('dropped'))
          throw new Error('one request refused')
        })
      } catch {
        // The outer transaction carries on without that part.
      }
      db.exec('INSERT INTO t VALUES (3)')
      afterCommit(db, 'k', () => done.push('k after the savepoint'))
    })
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([3])
    expect(done).toEqual(['kept', 'k after the savepoint'])
  })

  it('when SQLite itself ends the whole transaction (a full disk can), later savepoints do not commit on their own', () => {
    const db = memoryDb()
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    const outcomes: string[] = []
    // As the REST API's group commit runs a batch: each request in its own savepoint, a refusal caught.
    const batch = () => {
      for (const request of [
        () => db.exec('INSERT INTO t VALUES (1)'),
        () => {
          db.exec('INSERT INTO t VALUES (2)')
          db.exec('ROLLBACK') // what SQLite may do on SQLITE_FULL/IOERR: the whole transaction, not just the statement
          throw full
        },
        () => db.exec('INSERT INTO t VALUES (3)'),
      ]) {
        try {
          transaction(db, request)
          outcomes.push('ok')
        } catch (error) {
          outcomes.push((error as { code?: string }).code ?? (error as Error).message)
        }
      }
    }
    // The batch fails with the reason (not "cannot commit - no transaction is active"), so nobody hears "saved".
    expect(() => transaction(db, batch)).toThrow(full)
    expect(outcomes).toEqual(['ok', 'SQLITE_FULL', 'SQLITE_FULL'])
    // Nothing of it was stored: the third request did not slip into a transaction of its own.
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0)
    expect(db.inTransaction).toBe(false)
    // And the connection is usable again.
    transaction(db, () => db.exec('INSERT INTO t VALUES (4)'))
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([4])
  })

  it('work that fails after the commit is logged and does not stop the rest, nor make the commit look failed', () => {
    const db = memoryDb()
    const logged = captureLog()
    const done: string[] = []
    try {
      transaction(db, () => {
        afterCommit(db, undefined, () => {
          throw new Error('push broke')
        })
        afterCommit(db, undefined, () => done.push('next'))
      })
      expect(done).toEqual(['next'])
      expect(logged.lines).toContainEqual(expect.objectContaining({ level: 'error', module: 'db', msg: 'after-commit work failed', err: expect.objectContaining({ message: 'push broke' }) }))
    } finally {
      logged.stop()
    }
  })
})

describe('sessions and payments share it', () => {
  const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }

  it('pushes a session and wakes the webhook sender only once the outermost commit is done, never for a rollback', () => {
    shop = openShop()
    const { engine } = shop
    const pushed: string[] = []
    let wakes = 0
    engine.events.on('session:updated', (s) => pushed.push(`${s.order_id} ${s.status}`))
    engine.events.onInternal('outbox:written', () => wakes++)
    expect(() =>
      engine.sessions.transaction(() => {
        const { session } = engine.sessions.create({ ...base, orderId: 'rolled back', amount: '1.00' })
        engine.sessions.cancel(session.id, { merchantId: 'merchant_123' })
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect({ pushed, wakes }).toEqual({ pushed: [], wakes: 0 })
    engine.sessions.transaction(() => {
      const { session } = engine.sessions.create({ ...base, orderId: 'kept', amount: '1.00' })
      engine.sessions.cancel(session.id, { merchantId: 'merchant_123' })
      expect({ pushed, wakes }).toEqual({ pushed: [], wakes: 0 })
    })
    // Touched twice, pushed once, as it stands after the commit.
    expect({ pushed, wakes }).toEqual({ pushed: ['kept CANCELLED'], wakes: 1 })
  })

  it('a payment credited inside a larger transaction is heard of after that transaction commits', () => {
    shop = openShop()
    const { engine } = shop
    const payments = new Payments({ db: engine.db, clock: shop.clock, events: engine.events, sessions: engine.sessions })
    const heard: string[] = []
    engine.events.on('session:updated', (s: PaymentSession) => heard.push(`session ${s.status}`))
    engine.events.on('transfer:recorded', (t) => heard.push(`transfer ${t.session_id ?? 'unmatched'}`))
    const stray = {
      chainId: 31337,
      txHash: `0x${'1'.repeat(64)}`,
      logIndex: 0,
      tokenAddress: USDC6,
      from: SHOP_ADDRESS,
      // Not the shop's address: nobody's payment.
      to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      amount: 123n,
      blockNumber: 5,
      blockHash: `0x${'2'.repeat(64)}`,
      blockTimestamp: nowSeconds(shop.clock),
    }
    engine.sessions.transaction(() => {
      engine.sessions.create({ ...base, orderId: 'o', amount: '1.00' })
      payments.observe({ chainId: 31337, head: 5, transfers: [stray], canonical: new Map() })
      expect(heard).toEqual([])
    })
    expect(heard.sort()).toEqual(['session PENDING', 'transfer unmatched'])
  })
})
