import { assertTokenDecimals, MoneyError } from '../../../src-preload/shared/money'
import { digitsToBigInt, quoteInput, splitPlainDecimal } from './decimal'

/** ERC-20 balances are uint256; nothing above this can exist on chain. */
export const MAX_UINT256 = (1n << 256n) - 1n

/**
 * USD cents to base units of a USD stablecoin, assuming 1 token = 1 USD
 * (the peg is the business premise of accepting USDC/USDT at face value).
 * decimals 6 -> cents x 10^4; decimals 18 -> cents x 10^16. Exact; no rounding.
 */
export function usdCentsToBaseUnits(cents: bigint, decimals: number): bigint {
  assertTokenDecimals(decimals, 2)
  if (cents < 0n) {
    throw new MoneyError('amount_invalid', `USD cents (${cents}) is negative; it must be positive`, 'amount')
  }
  return cents * 10n ** BigInt(decimals - 2)
}

/**
 * Parse a human token amount ("12.5") into base units; the inverse of
 * formatBaseUnits for positive values. Same strict grammar as prices: more
 * fraction digits than the token has is rejected (even zeros) rather than
 * truncated, because a refund that silently differs from what the operator
 * typed is worse than an error. Zero is rejected (`amount_not_positive`);
 * anything that cannot fit in a uint256 is `amount_too_large`. Callers apply
 * their own business ceiling (e.g. "not more than was paid").
 */
export function parseTokenAmount(s: string, decimals: number): bigint {
  assertTokenDecimals(decimals, 0)
  const { int, frac } = splitPlainDecimal(s, 'amount', 'amount_invalid', 'amount')
  if (frac.length > decimals) {
    const allowed = decimals === 0 ? 'none' : String(decimals)
    throw new MoneyError(
      'amount_too_precise',
      `amount ${quoteInput(s)} has ${frac.length} decimals; this token allows ${allowed}`,
      'amount',
    )
  }
  // uint256 max has 78 digits, so 79+ integer digits is out of range already;
  // checking the length first keeps a million-digit string away from BigInt().
  if (int.length > 78) {
    throw new MoneyError('amount_too_large', `amount ${quoteInput(s)} is larger than any token balance can be`, 'amount')
  }
  const base = digitsToBigInt(int, frac, decimals)
  if (base > MAX_UINT256) {
    throw new MoneyError('amount_too_large', `amount ${quoteInput(s)} is larger than any token balance can be`, 'amount')
  }
  if (base === 0n) {
    throw new MoneyError('amount_not_positive', `amount ${quoteInput(s)} must be greater than zero`, 'amount')
  }
  return base
}
