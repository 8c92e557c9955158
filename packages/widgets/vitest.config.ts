import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/** Widget tests run in Debian's Chromium; nothing is downloaded. */
export default defineConfig({
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
