import type { Page } from '@playwright/test'
import type { Address, Hash } from 'viem'
import { createWalletClient, http, parseAbi } from 'viem'
import type { ChainState } from '../../src-preload/contract'
import { currentSession, engineSession, expect, snap, test } from './fixtures'
import type { Shop } from './support/shop'
import { mineBlock, parsePaymentUri } from './support/shop'

/**
 * "Payment incoming" on both screens: the chain mines only when the test says
 * so, so the customer's transfer waits in the pool and the screens can only
 * know of it from there. The shop's RPC is HTTP only: the pool is read through
 * a pending-transaction filter.
 */
test.use({ shopOptions: { confirmations: 1 } })

async function devnet(shop: Shop, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(shop.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** The customer's wallet sends what the QR says and does not wait: there is no block until the test mines one. */
async function sendFromWallet(shop: Shop, uri: string): Promise<Hash> {
  const request = parsePaymentUri(uri)
  const wallet = createWalletClient({ transport: http(shop.rpcUrl, { retryCount: 0 }) })
  return wallet.writeContract({
    address: request.token,
    abi: parseAbi(['function transfer(address to, uint256 amount) returns (bool)']),
    functionName: 'transfer',
    args: [request.to as Address, request.amount],
    account: shop.customer,
    chain: null,
  })
}

/** A sale at the counter, the customer display following it, and the till following the pool. */
async function saleOnBothScreens(page: Page, shop: Shop, amount: string): Promise<{ display: Page; id: string; uri: string }> {
  await devnet(shop, 'evm_setAutomine', [false])
  const display = await page.context().newPage()
  await display.goto('/#/customer')
  await page.keyboard.type(amount)
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  await expect(display.getByTestId('customer-sale')).toHaveAttribute('data-session-id', session.id)
  // The filter is installed once the till sees the open sale; what is sent before it is seen only at its block.
  await expect
    .poll(async () => {
      const response = await page.request.post('/bridge/invoke/chains:state', { data: null })
      const result = (await response.json()) as { ok: boolean; value?: ChainState[] }
      return result.value?.[0]?.pending_feed
    })
    .toBe('filter')
  return { display, id: session.id, uri: session.payment_options[0]!.payment_uri }
}

test('cashier and customer display show "incoming" before the block and "paid" after it', async ({ cashier: page, shop }, testInfo) => {
  const { display, id, uri } = await saleOnBothScreens(page, shop, '4.20')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')

  const hash = await sendFromWallet(shop, uri)
  const short = `${hash.slice(0, 10)}…${hash.slice(-4)}`
  await expect(page.getByTestId('incoming')).toContainText('Payment sent — waiting for the network')
  await expect(page.getByTestId('incoming')).toContainText(short)
  await expect(page.getByTestId('incoming')).toHaveAttribute('data-tx-hash', hash)
  await expect(display.getByTestId('incoming')).toContainText('Payment sent — waiting for the network')
  await expect(display.getByTestId('incoming')).toContainText(short)
  // Not paid, and not a status: the engine still holds the sale as PENDING, with the pending transaction beside it.
  expect(await engineSession(page, id)).toMatchObject({ status: 'PENDING', pending_tx: { hash }, amount_paid_base_units: '0' })
  await expect(page.getByTestId('paid')).toHaveCount(0)
  await snap(page, testInfo, '1-cashier-incoming')
  await snap(display, testInfo, '2-customer-incoming')

  await mineBlock(shop)
  await expect(page.getByTestId('paid')).toBeVisible()
  await expect(display.getByTestId('customer-paid')).toBeVisible()
  await expect(page.getByTestId('incoming')).toHaveCount(0)
  expect(await engineSession(page, id)).toMatchObject({ status: 'COMPLETED', pending_tx: null })
  await snap(page, testInfo, '3-cashier-paid')
  await snap(display, testInfo, '4-customer-paid')
})

test.describe('in Chinese', () => {
  test.use({ shopOptions: { confirmations: 1, language: 'zh-CN' } })

  test('a payment dropped from the pool: incoming, then back to waiting with a note', async ({ cashier: page, shop }, testInfo) => {
    const { display, id, uri } = await saleOnBothScreens(page, shop, '5.30')
    const hash = await sendFromWallet(shop, uri)
    await expect(page.getByTestId('incoming')).toContainText('付款已发送 — 等待网络确认')
    await expect(display.getByTestId('incoming')).toContainText('付款已发送 — 等待网络确认')
    await snap(display, testInfo, '1-customer-incoming-zh')

    await devnet(shop, 'anvil_dropTransaction', [hash])
    await expect(page.getByTestId('incoming-lost')).toContainText('被网络丢弃')
    await expect(page.getByTestId('incoming-lost')).toHaveAttribute('data-reason', 'dropped')
    await expect(page.getByTestId('sale-status')).toContainText('等待付款')
    await expect(page.getByTestId('incoming')).toHaveCount(0)
    await expect(display.getByTestId('incoming-lost')).toBeVisible()
    await snap(page, testInfo, '2-cashier-dropped-zh')
    expect(await engineSession(page, id)).toMatchObject({
      status: 'PENDING',
      pending_tx: null,
      pending_tx_dropped: { hash, reason: 'dropped' },
    })
  })
})
