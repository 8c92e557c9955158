import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

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
