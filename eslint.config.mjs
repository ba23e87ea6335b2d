import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Process boundaries (Signal-Desktop style): the engine never imports electron.
  {
    files: ['src-main/engine/**/*.ts', 'src-main/http/**/*.ts', 'src-main/serve.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine and HTTP layer run without Electron (serve mode).' }] }],
    },
  },
  // The renderer reaches the engine only through the contract.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'crypto', 'child_process'], message: 'The renderer has no Node.' },
            { group: ['better-sqlite3', 'electron', 'viem', 'viem/*'], message: 'The renderer talks to the engine only through the contract.' },
            { group: ['**/src-main/**'], message: 'The renderer talks to the engine only through the contract.' },
          ],
        },
      ],
    },
  },
  // The sandboxed preload stays small: electron and the contract, never zod or the channel schemas.
  {
    files: ['src-preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'The preload only forwards; the engine checks input (src-preload/schemas.ts).' }],
          patterns: [{ group: ['./schemas'], message: 'The preload only forwards; the engine checks input.' }],
        },
      ],
    },
  },
  // Code the engine and the renderer both run: it may import the contract and itself, nothing else.
  {
    files: ['src-preload/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!(\\.\\./contract|\\./[\\w-]+)$)', message: 'Shared code imports only the contract and other shared files.' },
          ],
        },
      ],
    },
  },
  // The contract is types and constants only.
  {
    files: ['src-preload/contract.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }] },
  },
)
