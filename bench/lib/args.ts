/**
 * A bench's command line: `--name value` options, each with its default, read
 * by node:util's parseArgs. An unknown flag, a stray argument or a number that
 * is not one stops the bench with exit code 2 instead of being ignored (a
 * typo used to measure the default size without a word).
 */
import { basename } from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import { parseArgs } from 'node:util'

/** A number, a string, a flag (boolean), or null for a number with no fixed default (the bench picks one). */
type Defaults = Record<string, number | string | boolean | null>
export type BenchArgs<T extends Defaults> = {
  [K in keyof T]: T[K] extends number ? number : T[K] extends boolean ? boolean : T[K] extends null ? number | undefined : string
}

export function benchArgs<T extends Defaults>(defaults: T, argv: string[] = process.argv.slice(2)): BenchArgs<T> {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'boolean') options[name] = { type: 'boolean', default: value }
    else if (value === null) options[name] = { type: 'string' }
    else options[name] = { type: 'string', default: String(value) }
  }
  try {
    const { values } = parseArgs({ args: argv, options, strict: true })
    const out: Record<string, unknown> = {}
    for (const [name, fallback] of Object.entries(defaults)) {
      const value = values[name]
      if (typeof fallback === 'boolean' || typeof fallback === 'string' || value === undefined) out[name] = value
      else if (value !== '' && Number.isFinite(Number(value))) out[name] = Number(value)
      else throw new Error(`--${name} must be a number, not "${String(value)}"`)
    }
    return out as BenchArgs<T>
  } catch (error) {
    const usage = Object.entries(defaults)
      .map(([name, value]) => (typeof value === 'boolean' ? `[--${name}]` : `[--${name} ${value ?? 'N'}]`))
      .join(' ')
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\nusage: ${basename(process.argv[1] ?? 'bench')} ${usage}\n`,
    )
    process.exit(2)
  }
}
