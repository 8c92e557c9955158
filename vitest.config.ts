import { configDefaults, defineConfig } from 'vitest/config';

/** `npm test` runs every project: pure code in Node, the Worker in workerd, widgets and end to end in Chromium. */
export default defineConfig({
  test: {
    projects: [
      'worker/vitest.config.ts',
      'packages/widgets/vitest.config.ts',
      {
        test: {
          name: 'node',
          // tests/snippets: the setup snippets for each blog platform, rendered or parsed without a browser.
          include: ['packages/protocol/src/**/*.test.ts', 'tests/snippets/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/snippets/**'],
          environment: 'node',
          globalSetup: ['tests/support/browser-server.ts', 'tests/support/worker-server.ts'],
          // The files share their test process instead of one each: Playwright, the test runner and the code they import
          // load once, not once a file (five files 56-62 s against 61-68 s, alternated, at load 9-11). Each file still
          // has browser contexts of its own, and a Worker of its own unless it shares one (sharedWorker()).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
