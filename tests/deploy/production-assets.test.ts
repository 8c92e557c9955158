/**
 * What `npm run deploy` uploads serves Sala and nothing else: worker/public holds embed.js, its chunks, /admin and
 * a landing page at `/`, never the demo blog, which only `npm start` and the end-to-end tests serve (from
 * worker/dev-public). Checked on the built folder and on the Worker serving it. Needs `npm run build` to have run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

const root = resolve(import.meta.dirname, '../..');
const demo = join(root, 'examples/blogger');
const production = join(root, 'worker/public');

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

let worker: RunningWorker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startWorker({}, { assets: 'production' }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

test('the production assets hold no file of the demo blog, and the dev assets hold all of them', () => {
  const demoFiles = files(demo).filter((file) => file !== 'index.html');
  expect(demoFiles.length).toBeGreaterThan(5);
  const productionFiles = files(production);
  expect(productionFiles).toContain('embed.js');
  expect(productionFiles).toContain('admin/index.html');
  expect(productionFiles.filter((file) => demoFiles.includes(file))).toEqual([]);
  expect(readFileSync(join(production, 'index.html'), 'utf8')).not.toContain('Mekong Notes');
  expect(files(join(root, 'worker/dev-public'))).toEqual(expect.arrayContaining([...demoFiles, 'embed.js']));
});

test("`/` says what the Worker is and gives the two lines to paste with the Worker's own address", async () => {
  const page = await browser.newPage();
  const elsewhere: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(worker.origin)) elsewhere.push(request.url());
  });
  await page.goto(`${worker.origin}/`);
  await expect
    .poll(() => page.locator('pre').first().textContent())
    .toBe(`<script type="module" src="${worker.origin}/embed.js"></script>\n<sala-comments></sala-comments>`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sala');
  expect(await page.getByRole('link', { name: 'the admin page' }).getAttribute('href')).toBe('/admin');
  expect(elsewhere).toEqual([]);

  // The page's CSP lets only its own script run; the DevTools protocol still evaluates axe.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
    };
    return (await axe.run()).violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
  });
  expect(violations).toEqual([]);
  await page.close();
});

test('the deployed Worker answers 404 for a demo post, and still serves embed.js and /admin', async () => {
  expect((await fetch(`${worker.origin}/2026/11/morning-walk.html`)).status).toBe(404);
  expect((await fetch(`${worker.origin}/blog.css`)).status).toBe(404);
  expect((await fetch(`${worker.origin}/embed.js`)).status).toBe(200);
  expect(await (await fetch(`${worker.origin}/admin`)).text()).toContain('<sala-admin>');
});
