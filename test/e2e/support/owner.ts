import type { Page } from '@playwright/test'
import { expect } from '@playwright/test'

/** The owner PIN of the e2e shops (startShop puts it in the config file as `ownerPin`). */
export const OWNER_PIN = '246810'

/** Enters the owner PIN in the dialog an owner screen or action opened (#13). */
export async function enterOwnerPin(page: Page, pin = OWNER_PIN): Promise<void> {
  const dialog = page.getByTestId('pin-dialog-unlock')
  await expect(dialog).toBeVisible()
  await page.getByTestId('pin-input').fill(pin)
  await page.getByTestId('pin-submit').click()
  await expect(dialog).toBeHidden()
}

/** Opens an owner screen (`/#/settings`…) and enters the PIN when it is asked for; resolves once `screenTestId` shows. */
export async function openOwnerScreen(page: Page, route: string, screenTestId: string): Promise<void> {
  await page.goto(`/#${route}`)
  const screen = page.getByTestId(screenTestId)
  await expect(screen.or(page.getByTestId('pin-dialog-unlock'))).toBeVisible()
  if (!(await screen.isVisible())) await enterOwnerPin(page)
  await expect(screen).toBeVisible()
}
