/** Launches Debian's Chromium through playwright-core with the flags this sandbox needs; nothing is downloaded. */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
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
