import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'
import { STABLECOIN_CONTRACT_NAME, STABLECOIN_SOURCE } from './stablecoinSource'

export interface CompiledContract {
  abi: Abi
  bytecode: Hex
}

export interface CompileOptions {
  /** Reuse/store the artifact under os.tmpdir(); default true. */
  diskCache?: boolean
}

// cancun: supported by every anvil hardfork we run (its default is newer) and
// by the 0.8.2x+ compilers; pinned so artifacts do not shift with solc defaults.
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { [STABLECOIN_CONTRACT_NAME]: ['abi', 'evm.bytecode.object'] } },
} as const

interface SolcModule {
  compile(input: string): string
  version(): string
}

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage?: string; message: string }[]
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
}

// Not named `require`: that would clash with the CommonJS wrapper when run under tsx.
const requireHere = createRequire(import.meta.url)
let memo: CompiledContract | undefined

// The solc *package* version identifies the bundled soljson, and reading it
// does not load the 8 MB emscripten compiler, which is the slow part we cache.
function solcPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(requireHere.resolve('solc/package.json'), 'utf8')) as { version: string }
  return pkg.version
}

function cacheFile(): string {
  const key = createHash('sha256')
    .update(JSON.stringify({ source: STABLECOIN_SOURCE, solc: solcPackageVersion(), settings: SETTINGS }))
    .digest('hex')
    .slice(0, 32)
  return join(tmpdir(), 'stablepay-devnet-solc', `${STABLECOIN_CONTRACT_NAME}-${key}.json`)
}

function isArtifact(value: unknown): value is CompiledContract {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return Array.isArray(v['abi']) && typeof v['bytecode'] === 'string' && /^0x[0-9a-f]{2,}$/i.test(v['bytecode'])
}

function readDiskCache(file: string): CompiledContract | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return isArtifact(parsed) ? parsed : undefined
  } catch {
    // Missing or torn file: recompile.
    return undefined
  }
}

function writeDiskCache(file: string, artifact: CompiledContract): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true })
    // Write-then-rename so a parallel test worker never reads a half-written file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
    writeFileSync(tmp, JSON.stringify(artifact))
    renameSync(tmp, file)
  } catch {
    // The cache is an optimisation; a read-only tmpdir must not fail the compile.
  }
}

function compileWithSolc(): CompiledContract {
  const solc = requireHere('solc') as SolcModule
  const input = {
    language: 'Solidity',
    sources: { 'TestStablecoin.sol': { content: STABLECOIN_SOURCE } },
    settings: SETTINGS,
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) {
    throw new Error(`solc ${solc.version()} failed:\n${errors.map((e) => e.formattedMessage ?? e.message).join('\n')}`)
  }
  const contract = output.contracts?.['TestStablecoin.sol']?.[STABLECOIN_CONTRACT_NAME]
  if (!contract) throw new Error('solc produced no TestStablecoin artifact')
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
}

/**
 * Compiles the test stablecoin with solc-js (offline). Memoised in memory and,
 * by default, on disk keyed by source + solc version + settings, because the
 * first solc-js load and compile costs about a second per process.
 */
export function compileStablecoin(opts: CompileOptions = {}): CompiledContract {
  if (memo) return memo
  const useDisk = opts.diskCache ?? true
  const file = useDisk ? cacheFile() : undefined
  const cached = file ? readDiskCache(file) : undefined
  const artifact = cached ?? compileWithSolc()
  if (file && !cached) writeDiskCache(file, artifact)
  memo = Object.freeze(artifact)
  return memo
}

/** Forgets the in-memory and on-disk artifacts (for measuring a cold compile). */
export function clearStablecoinCompileCache(): void {
  memo = undefined
  rmSync(cacheFile(), { force: true })
}
