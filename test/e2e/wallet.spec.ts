import { expect, holdSession, test } from './fixtures'

test.use({ shopOptions: { configured: false } })

/** The receiving address is a wallet (#15): a token contract is refused, a never-used address is flagged, no "xpub" for a bad address. */
test('the wizard refuses a token contract as receiving address, flags a never-used one, and never says xpub for a bad address', async ({
  page,
  shop,
}) => {
  await page.goto(shop.loginUrl)
  await page.getByTestId('shop-name').fill('Corner Café')
  await page.getByTestId('setup-next').click()

  const feedback = page.getByTestId('receive-feedback')
  await page.getByTestId('receive-input').fill('hello')
  await expect(feedback).toContainText('This is not a valid address.')
  await expect(feedback).not.toContainText(/xpub/i)

  // The stablecoin's own contract pasted by mistake: refused, in plain words.
  await page.getByTestId('receive-input').fill(shop.usdc)
  await expect(feedback).toContainText('This address is a contract (for example a token’s own address), not a wallet')
  await expect(page.getByTestId('setup-next')).toBeDisabled()

  // A wallet nobody has ever used: accepted, with a warning to double-check.
  const fresh = '0x52908400098527886E0F7030069857D2E4169EE7'
  await page.getByTestId('receive-input').fill(fresh)
  await expect(page.getByTestId('receive-never-used')).toContainText('never been used')
  await expect(page.getByTestId('setup-next')).toBeEnabled()

  // The engine itself refuses it, whoever asks (the wizard's check channel, which Next waits for).
  await holdSession(page)
  const answer = (await (await page.request.post('/bridge/invoke/setup:preview-xpub', { data: { xpub: shop.usdc } })).json()) as {
    ok: boolean
    error?: { code: string }
  }
  expect(answer).toMatchObject({ ok: false, error: { code: 'receive_not_wallet' } })
})
