// pino-roll ships no types; this is the part of its API the log uses (see its README).
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom'
  interface RollOptions {
    file: string
    extension?: string
    size?: string | number
    frequency?: string | number
    limit?: { count: number }
    mkdir?: boolean
    sync?: boolean
    // Passed on to SonicBoom: the most bytes held while the file cannot be written; beyond it lines are dropped.
    maxLength?: number
  }
  export default function roll(options: RollOptions): Promise<SonicBoom>
}
