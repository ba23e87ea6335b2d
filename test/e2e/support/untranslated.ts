import type { Page } from '@playwright/test'
import { BUILTIN_CHAINS } from '../../../src-main/engine/chains/builtin'
import { CURRENCY_CODES } from '../../../src-preload/shared/money'

/**
 * Words a Chinese screen may still show in Latin letters (#15): brand, token,
 * network and currency names, key names. Addresses, hashes, URLs and order
 * numbers are taken out before the check; everything else is English left behind.
 */
export const ALLOWED: ReadonlyArray<string | RegExp> = [
  // The language switch names the other language in its own words.
  'English',
  // The dollar as Chinese formatting writes it.
  'US$',
  'StablePay POS',
  'StablePay',
  'Corner Café',
  'Local devnet',
  'USDC',
  'USDT',
  'USD',
  'EUR',
  'Esc',
  'xpub',
  // Names of formats and protocols, written the same in Chinese.
  'HTTP',
  'REST',
  'JPEG',
  'WebP',
  'CSV',
  'ID',
  'Webhooks',
  'Webhook',
  'API',
  'PIN',
  'RPC',
  'URL',
  'UTC',
  'PNG',
  'PDF',
  'zip',
  // Networks and currencies by their own names and codes.
  ...BUILTIN_CHAINS.map((chain) => chain.name),
  ...BUILTIN_CHAINS.flatMap((chain) => chain.tokens.map((token) => token.symbol)),
  ...CURRENCY_CODES,
]

/** The English words left in `text` once the allowed names, addresses, URLs and order numbers are taken out. */
export function untranslated(text: string, allowed: ReadonlyArray<string | RegExp> = ALLOWED): string[] {
  // Order numbers (A-0042, #15) are letters the cashier calls out, like a table number.
  let rest = text
    .replace(/0x[0-9a-fA-F…]+/g, ' ')
    // Numbers with their unit (80mm, 512 KB) are numbers.
    .replace(/\b\d+(\.\d+)?\s?(mm|KB|MB)\b/g, ' ')
    .replace(/\b[A-Z]{1,2}-\d{4,}\b/g, ' ')
    .replace(/https?:\/\/\S*/g, ' ')
    // File paths, API paths and device ids are data.
    .replace(/(^|[\s（(])\/[\w./-]+/g, ' ')
    .replace(/\bdev_\w+/g, ' ')
  // Longest first, so "StablePay POS" goes before "StablePay"; patterns (whole words) after.
  const words = allowed.filter((w): w is string => typeof w === 'string').sort((a, b) => b.length - a.length)
  for (const word of words) rest = rest.split(word).join(' ')
  for (const pattern of allowed) if (pattern instanceof RegExp) rest = rest.replace(pattern, ' ')
  // SCAN_DEBUG=1 shows each word with the text around it, to find where it comes from.
  if (process.env.SCAN_DEBUG) return [...new Set(rest.match(/.{0,25}[A-Za-z][A-Za-z'’-]+.{0,25}/g) ?? [])]
  return [...new Set(rest.match(/[A-Za-z][A-Za-z'’-]+/g) ?? [])]
}

/**
 * Notes under `screen` the English words the page shows, if any. Text set in
 * code type (`.mono`, code, pre: ids, keys, hashes, file paths, the audit
 * log's raw values) is data, not words, and is left out.
 */
export async function scan(page: Page, screen: string, found: Record<string, string[]>, allowed?: ReadonlyArray<string | RegExp>): Promise<void> {
  const data = await page.locator('.mono, code, pre, kbd').evaluateAll((nodes) => nodes.map((n) => (n as unknown as { innerText: string }).innerText))
  let text = await page.locator('body').innerText()
  for (const value of data.filter(Boolean).sort((a, b) => b.length - a.length)) text = text.split(value).join(' ')
  const words = untranslated(text, allowed)
  if (words.length > 0) found[screen] = words
}
