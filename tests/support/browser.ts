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

/**
 * Resolves once `page` is past the moment a post page sends its view, so that a test can say none came without
 * waiting out a guess: views.ts sends it once the page has loaded, at the browser's next idle moment, from a chunk
 * asked for when the page's first answer came. So: the page's network idle, then 500 ms in which it neither asks for
 * nor receives anything (Playwright's network idle comes once a load, maybe before that chunk was asked for), by when
 * any such chunk has come and run and queued its idle callback; then an idle callback of the test's own, which the
 * browser runs after the ones queued before it.
 */
export async function pastViewTime(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await new Promise<void>((done) => {
    let timer = setTimeout(quiet, 500);
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(quiet, 500);
    };
    function quiet() {
      page.off('request', restart).off('requestfinished', restart).off('requestfailed', restart);
      done();
    }
    page.on('request', restart).on('requestfinished', restart).on('requestfailed', restart);
  });
  await page.evaluate(() => new Promise<void>((done) => requestIdleCallback(() => setTimeout(done))));
}
