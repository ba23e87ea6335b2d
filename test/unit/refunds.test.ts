import { describe, expect, it } from 'vitest'
import { refundableAmounts } from '../../src-main/engine/refunds'
import { refundedMinor } from '../../src-main/engine/reports/totals'

const usdt = (whole: bigint) => whole * 10n ** 18n

describe('what can still be refunded', () => {
  it('received minus open and succeeded refunds; never below zero', () => {
    expect(refundableAmounts(10_000_000n, 0n, 0n)).toEqual({ refundable: 10_000_000n, suggested: 10_000_000n })
    expect(refundableAmounts(10_000_000n, 3_000_000n, 0n)).toEqual({ refundable: 7_000_000n, suggested: 7_000_000n })
    expect(refundableAmounts(10_000_000n, 10_000_000n, 0n)).toEqual({ refundable: 0n, suggested: 0n })
    expect(refundableAmounts(10_000_000n, 12_000_000n, 0n)).toEqual({ refundable: 0n, suggested: 0n })
  })

  it('an overpaid sale suggests the excess that is left, not the whole payment', () => {
    // 6.60 paid for 6.00: 0.60 suggested; after 0.20 of it went back, 0.40.
    expect(refundableAmounts(6_600_000n, 0n, 600_000n)).toEqual({ refundable: 6_600_000n, suggested: 600_000n })
    expect(refundableAmounts(6_600_000n, 200_000n, 600_000n)).toEqual({ refundable: 6_400_000n, suggested: 400_000n })
    expect(refundableAmounts(6_600_000n, 600_000n, 600_000n)).toEqual({ refundable: 6_000_000n, suggested: 6_000_000n })
  })

  it('18-decimal amounts far past 2^64 stay exact', () => {
    const received = usdt(1_000_000n) + 1n
    expect(refundableAmounts(received, 0n, usdt(1n))).toEqual({ refundable: received, suggested: usdt(1n) })
    expect(refundableAmounts(received, usdt(999_999n), 0n)).toEqual({ refundable: usdt(1n) + 1n, suggested: usdt(1n) + 1n })
    expect(refundableAmounts(usdt(5n), usdt(5n) - 1n, 0n).refundable).toBe(1n)
  })
})

describe('the price a refund gives back (totals, minor units)', () => {
  it('the overpaid excess first, then the price pro rata, half up', () => {
    // 6.00 USD sale paid 6.60 USDC: refunding 0.60 gives back none of the price; 3.60 gives back 3.00.
    expect(refundedMinor(600n, 6_600_000n, 6_000_000n, 600_000n)).toBe(0n)
    expect(refundedMinor(600n, 6_600_000n, 6_000_000n, 3_600_000n)).toBe(300n)
    expect(refundedMinor(600n, 6_000_000n, 6_000_000n, 6_000_000n)).toBe(600n)
    // A 9.99 EUR sale, 1/3 refunded: 3.33 exactly.
    expect(refundedMinor(999n, 3_000_000n, 3_000_000n, 1_000_000n)).toBe(333n)
    expect(refundedMinor(100n, usdt(3n), usdt(3n), usdt(1n))).toBe(33n)
  })
})
