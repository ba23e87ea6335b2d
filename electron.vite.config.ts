import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/**
 * Three builds from the design card's folders:
 * - main: the Electron entry and the serve-mode entry (no electron import), deps externalised;
 * - preload: CommonJS in one file, because a sandboxed preload can neither be ESM nor require other files;
 * - renderer: the React app, served by Electron from file:// and by serve mode over HTTP.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve('src-main/index.ts'), serve: resolve('src-main/serve.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves output unminified by default; the bundle size is a product figure here.
      minify: true,
      rollupOptions: {
        // The payment page's script (#12) sits beside the app, not in it: the page (src-main/http/payPage.ts) names it
        // /pay.js, so it keeps that name; the app's files keep their fingerprints.
        input: { index: resolve('src-renderer/index.html'), pay: resolve('src-renderer/src/pay/payPage.ts') },
        output: { entryFileNames: (chunk) => (chunk.name === 'pay' ? 'pay.js' : 'assets/[name]-[hash].js') },
      },
    },
  },
})
