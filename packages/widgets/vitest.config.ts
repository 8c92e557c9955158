import { resolve } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/** Test inputs shared across packages (the XSS corpus) live in the repo's tests/fixtures. */
const fixtures = resolve(import.meta.dirname, '../../tests/fixtures');

/** Widget tests run in Debian's Chromium; nothing is downloaded. */
export default defineConfig({
  resolve: { alias: { '@sala-fixtures': fixtures } },
  server: { fs: { allow: [resolve(import.meta.dirname, '../..')] } },
  // Found late, axe would make Vite reload mid-run.
  optimizeDeps: { include: ['axe-core'] },
  test: {
    name: 'widgets',
    include: ['src/**/*.test.ts'],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
