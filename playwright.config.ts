import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests in real Chromium against serve mode with a real anvil
 * chain (test/e2e/*.spec.ts), and the Electron suite (test/e2e/electron/),
 * which runs only where the Electron binary exists. Browsers are never
 * downloaded: Chromium comes from the system (`apt-get install chromium`).
 */
const CHROMIUM = process.env.STABLEPAY_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  globalSetup: './test/e2e/support/globalSetup.ts',
  // Each test starts its own anvil and serve process; two cores.
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /electron\// },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
})
