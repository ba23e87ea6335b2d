/** Latency figures of a set of samples: the nearest-rank percentile, as every bench here prints them. */
export interface Stats {
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
  n: number
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length }
}

export const ms = (x: number): string => `${x.toFixed(1)} ms`
