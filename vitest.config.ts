import { defineConfig } from 'vitest/config';

/** `npm test` runs every project: pure code in Node, the Worker in workerd, widgets and end to end in Chromium. */
export default defineConfig({
  test: {
    projects: [
      'worker/vitest.config.ts',
      'packages/widgets/vitest.config.ts',
      {
        test: {
          name: 'node',
          include: ['packages/protocol/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
