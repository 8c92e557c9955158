/**
 * The e2e project's global setup (vitest.config.ts): one Chromium for every e2e file, which each connect to with
 * `launchChromium()` instead of starting their own (about 2 s of CPU each on CI's two cores). Each file still works in
 * browser contexts of its own, closed with its connection. Passed down in the environment, which the test workers
 * inherit, so that scripts outside vitest (tests/bench) keep launching their own.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_ENDPOINT } from './browser.js';

export default async function setup(): Promise<() => Promise<void>> {
  const server = await chromium.launchServer({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  process.env[CHROMIUM_ENDPOINT] = server.wsEndpoint();
  return async () => {
    delete process.env[CHROMIUM_ENDPOINT];
    await server.close();
  };
}
