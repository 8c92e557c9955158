/** Launches Debian's Chromium through playwright-core with the flags this sandbox needs; nothing is downloaded. */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The environment variable naming the e2e run's shared Chromium (browser-server.ts). */
export const CHROMIUM_ENDPOINT = 'SALA_E2E_CHROMIUM';

/** The e2e run's shared Chromium if there is one (its `close()` disconnects this file's contexts), else a new one. */
export function launchChromium(): Promise<Browser> {
  const endpoint = process.env[CHROMIUM_ENDPOINT];
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Opens a post page and waits until its `<sala-comments>` shows the form, the sign that the thread has loaded. */
export async function openThread(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  const thread = page.locator('sala-comments');
  await thread
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  return thread;
}
