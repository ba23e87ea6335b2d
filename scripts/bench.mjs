#!/usr/bin/env node
// Runs every benchmark in bench/ one after another (they measure, so never in parallel),
// or only those whose file name contains an argument: `npm run bench -- webhooks`.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

// Only names to filter by: a flag here is a mistake (the benches' own flags are given by running one with npx tsx).
let filters
try {
  filters = parseArgs({ allowPositionals: true }).positionals
} catch (error) {
  console.error(`${error.message}\nusage: npm run bench [-- NAME...]`)
  process.exit(2)
}
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
let failed = 0
for (const file of files) {
  console.log(`\n=== bench/${file}`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], { stdio: 'inherit' })
  if (result.status !== 0) failed++
}
if (failed > 0) {
  console.error(`${failed} benchmark(s) failed`)
  process.exit(1)
}
