import { defineConfig, devices } from '@playwright/test';

/**
 * Browser end-to-end tests. They run against the canvas demo page (packages/canvas/demo), built
 * and served by `vite preview`, in Debian's Chromium (Playwright cannot download browsers here).
 * `npm test` sets PLAYWRIGHT_JSON_OUTPUT_NAME and reads the JSON report from there.
 */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const port = Number(process.env.WEFT_E2E_PORT ?? 4178);
const storybookPort = Number(process.env.WEFT_STORYBOOK_PORT ?? 6007);

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 5_000, toHaveScreenshot: { maxDiffPixels: 150, animations: 'disabled' } },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }],
  ],
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1400, height: 800 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1400, height: 800 } } }],
  webServer: [
    {
      command: `npm run build:demo -w @weft/canvas --silent && cd packages/canvas && npx vite preview --mode demo --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The static Storybook build; e2e/storybook.spec.ts runs every story's play function in it.
      command: `npm run build-storybook -w @weft/storybook --silent && cd storybook && npx vite preview --outDir storybook-static --host 127.0.0.1 --port ${storybookPort} --strictPort`,
      url: `http://127.0.0.1:${storybookPort}/index.json`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
