/** `npm run bench:cost`: the cost benchmark, a replayed day of a blog on the real Worker in workerd. Not part of `npm test`. */
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

process.env.SALA_SECRET ??= 'bench-secret';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: { bindings: { SALA_SECRET: 'bench-secret' } },
    }),
  ],
  test: {
    name: 'bench-cost',
    include: ['bench/**/*.bench-run.ts'],
    testTimeout: 10 * 60_000,
  },
});
