import { resolve } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Test inputs shared across packages (the spam corpus) live in the repo's tests/fixtures. */
const fixtures = resolve(import.meta.dirname, '../tests/fixtures');

// wrangler.jsonc declares SALA_SECRET as a required secret; tests use a fixed one instead of .dev.vars.
process.env.SALA_SECRET ??= 'test-secret';
process.env.ADMIN_PASSWORD ??= 'test-admin-password';

export default defineConfig({
  resolve: {
    alias: [
      { find: '@sala-fixtures', replacement: fixtures },
      // No startup warm-up in each test file (src/warm-start.ts); warm.test.ts runs it itself.
      { find: /^\.\/warm-start\.js$/, replacement: resolve(import.meta.dirname, 'src/testing-warm-start.ts') },
    ],
  },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: { bindings: { SALA_SECRET: 'test-secret', ADMIN_PASSWORD: 'test-admin-password' } },
    }),
  ],
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/testing-setup.ts'],
    // Some tests drive dozens of requests through workerd: on a busy 2-core machine they take over the default 5 s.
    testTimeout: 20_000,
    // A test process runs its files one after another in one workerd, not one each: each starts as a new isolate would
    // (src/testing-setup.ts), with the KV the files before it left.
    isolate: false,
  },
});
