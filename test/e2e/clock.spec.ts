import { expect, snap, test } from './fixtures'

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await res.json()) as { result?: unknown }).result
}

test("the cashier is told when the till's clock is 15 minutes behind the network", async ({ cashier: page, shop }, testInfo) => {
  test.setTimeout(90_000)
  const banner = page.getByTestId('clock-drift')
  await expect(banner).toHaveCount(0)
  // The chain's blocks from now on are stamped 15 minutes ahead of this machine's clock. A block counts once
  // the watcher has seen the head before it, so keep making blocks until one is measured (idle pace: 15 s).
  await rpc(shop.rpcUrl, 'evm_setNextBlockTimestamp', [Math.floor(Date.now() / 1000) + 900])
  await expect(async () => {
    await rpc(shop.rpcUrl, 'evm_mine')
    await expect(banner).toBeVisible({ timeout: 3_000 })
  }).toPass({ timeout: 60_000 })
  await expect(banner).toContainText("This till's clock is 15 minutes behind the Local devnet network.")
  await snap(page, testInfo, 'clock-drift')
})
