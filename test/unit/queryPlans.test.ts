import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../src-main/engine'
import { Payments } from '../../src-main/engine/payments'
import { writeSessionsCsv } from '../../src-main/engine/reports'
import { ChainStore } from '../../src-main/engine/watcher/store'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from './engineFixture'
import { recordStatements } from '../support/recordStatements'

let shop: Shop
afterEach(() => shop?.close())

/**
 * Every statement of a sale's life must reach its rows through an index: a
 * query that misses one still works, by reading every row ever written, and
 * only gets slower with each sale. This walks a sale through create,
 * underpayment, remainder, completion, expiry, the History list and the CSV,
 * then asks SQLite how it runs each statement.
 */
// A full read of a table that grows with every sale (or its alias here). The open sessions' own partial index
// holds only live sales, so reading it whole is fine; json_each is the caller's own list.
const FULL_READ =
  /SCAN (sessions|payment_options|transfers|events|webhook_deliveries|webhook_attempts|session_timeline|s|o|t)\b(?! VIRTUAL TABLE| USING INDEX sessions_open_by_expiry)|AUTOMATIC/

describe('query plans', () => {
  it('no statement of a sale’s life reads a whole growing table, and no write builds a temporary table', async () => {
    shop = openShop()
    const db = shop.engine.db
    const seen = recordStatements(db)

    const scope = { merchantId: 'merchant_123' }
    const payments = new Payments({ db, clock: shop.clock, events: shop.engine.events, sessions: shop.engine.sessions })
    const sale = shop.engine.sessions.create({
      merchantId: 'merchant_123',
      livemode: false,
      orderId: 'plan',
      amount: '10.00',
      currency: 'USD',
    }).session
    let block = 100
    const canonical = new Map<number, string>()
    const pay = (amount: bigint) => {
      block++
      const hash = `0x${block.toString(16).padStart(64, '0')}`
      canonical.set(block, hash)
      payments.observe({
        chainId: 31337,
        head: block,
        canonical: new Map(canonical),
        transfers: [
          {
            chainId: 31337,
            txHash: hash,
            logIndex: 0,
            tokenAddress: USDC6,
            from: SHOP_ADDRESS,
            to: SHOP_ADDRESS,
            amount,
            blockNumber: block,
            blockHash: hash,
            blockTimestamp: nowSeconds(shop.clock),
          },
        ],
      })
    }
    pay(6_000_000n)
    expect(shop.engine.sessions.get(sale.id, scope).remainder_option).not.toBeNull()
    pay(4_000_000n)
    expect(shop.engine.sessions.get(sale.id, scope).status).toBe('COMPLETED')
    new ChainStore(db).hasOpenSession(31337)
    shop.engine.sessions.create({ ...scope, livemode: false, orderId: 'lapses', amount: '2.00', currency: 'USD', expiresIn: 60 })
    shop.clock.advance(61_000)
    shop.engine.sessions.list(scope, { chain_id: 31337, token: 'USDC', search: sale.id })
    // A price as typed (#15): looked up by amount in every currency it fits, never by reading every sale.
    shop.engine.sessions.list(scope, { search: '10.00' })
    shop.engine.sessions.cancel(
      shop.engine.sessions.create({ ...scope, livemode: false, orderId: 'c', amount: '1.00', currency: 'USD' }).session.id,
      scope,
    )
    shop.engine.sessions.expireDue()
    await writeSessionsCsv(shop.engine, scope, { chain_id: 31337 }, new Writable({ write: (_chunk, _enc, done) => done() }))

    const touching = [...seen].filter((sql) => !/^\s*(EXPLAIN|PRAGMA|ANALYZE)/.test(sql))
    expect(touching.filter((sql) => /payment_options/.test(sql)).length).toBeGreaterThan(10)
    // The app never runs ANALYZE, so SQLite always plans by its rules, as here: there are no statistics to fake.
    for (const sql of touching) {
      const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((n) => n.slice(1))
      const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      const steps = (
        names.length > 0
          ? explain.all(Object.fromEntries(names.map((n) => [n, null])))
          : explain.all(...new Array<null>((sql.match(/\?/g) ?? []).length).fill(null))
      ) as Array<{ detail: string }>
      const plan = steps.map((s) => s.detail).join(' | ')
      expect(plan, sql).not.toMatch(FULL_READ)
    }

    // A CHECK or partial index with `IN (3+ values)` makes SQLite build a temporary B-tree on every insert or status change.
    // (The expiry batch's UPDATE of holds does build one: it changes the column its index is read by, once a tick.)
    // RETURNING always collects its rows in a temporary table of its own; what is checked is the write itself.
    const writes = [...seen]
      .filter((sql) => /^\s*(INSERT INTO (sessions|payment_options)|UPDATE sessions)\b/.test(sql))
      .map((sql) => sql.replace(/\s+RETURNING\s[\s\S]*$/, ''))
    expect(writes.length).toBeGreaterThanOrEqual(4)
    for (const sql of writes) {
      const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((n) => n.slice(1))
      const explain = db.prepare(`EXPLAIN ${sql}`)
      const program = (
        names.length > 0
          ? explain.all(Object.fromEntries(names.map((n) => [n, null])))
          : explain.all(...new Array<null>((sql.match(/\?/g) ?? []).length).fill(null))
      ) as Array<{ opcode: string }>
      expect(
        program.map((op) => op.opcode),
        sql,
      ).not.toContain('OpenEphemeral')
    }
  })
})
