import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// wrangler.jsonc declares SALA_SECRET as a required secret; tests use a fixed one instead of .dev.vars.
process.env.SALA_SECRET ??= 'test-secret';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: { bindings: { SALA_SECRET: 'test-secret' } },
    }),
  ],
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts'],
  },
});
