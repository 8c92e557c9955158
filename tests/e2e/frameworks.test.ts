/**
 * The React, Vue and Svelte examples, as their users get them: each built by Vite from the workspace's
 * @sala/widgets dist (`npm run build`), served on its own origin and run in Chromium against the real Worker.
 * Each must pass a property (`strings`) and attributes (`page-id`, `sort`) through its framework, show the thread,
 * and run its typed `sala-comment-posted` handler when a reader posts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { normalizePageId } from '@sala/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { sharedWorker, type RunningWorker } from '../support/worker.js';

const examples = resolve(import.meta.dirname, '../../examples');
const FRAMEWORKS = ['react', 'vue', 'svelte'] as const;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const eventually = { timeout: 15_000 };

let worker: RunningWorker;
let browser: Browser;
const servers: Server[] = [];

/** Serves a built example as a static host would: its files, and index.html for the root. */
function serveBuild(dist: string): Promise<string> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  servers.push(server);
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  for (const framework of FRAMEWORKS) {
    if (!existsSync(join(examples, framework, 'dist/index.html'))) {
      throw new Error(`examples/${framework} is not built: run \`npm run build && npm run build:examples\` first`);
    }
  }
  [worker, browser] = await Promise.all([sharedWorker('other origins'), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  await worker?.stop();
});

describe.concurrent('each framework example', () => {
  test.for(FRAMEWORKS)(
    '%s: renders the thread with its props and runs the typed posted handler',
    async (framework, { expect }) => {
      const app = await serveBuild(join(examples, framework, 'dist'));
      const page = await browser.newPage();
      // The page's clock is Playwright's, so the reader's pause before writing (below) takes no real time.
      await page.clock.install();
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text());
      });
      await page.goto(`${app}/?api=${encodeURIComponent(worker.origin)}`);

      const thread = page.locator('sala-comments');
      // `strings` is a property: the empty thread says the app's words only if the framework set it on the element.
      await expect.poll(() => thread.getByText('No comments yet: start the conversation.').count(), eventually).toBe(1);
      // `sort` is an attribute: the thread's own sort control shows what the app asked for.
      expect(await thread.getByLabel('Sort').inputValue()).toBe('newest');
      await expect
        .poll(() => page.locator('sala-comment-count [part~="count"]').textContent(), eventually)
        .toMatch(/0 comments/);

      await thread
        .getByLabel(/^comment/i)
        .first()
        .fill(`Posted from the ${framework} example.`);
      await thread.getByLabel(/^name/i).first().fill('Dara');
      await page.clock.fastForward(3_000); // a reader reads first; faster forms are refused as bot-like
      await thread
        .getByRole('button', { name: /post comment/i })
        .first()
        .click();

      // The app's own text, written by its `sala-comment-posted` handler from the event's typed detail.
      const pageId = `https://blog.example.com/2026/12/${framework}-example.html`;
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Thanks' }).innerText(), eventually)
        .toBe(`Thanks, Dara: your comment is posted on ${normalizePageId(pageId)}.`);
      await expect.poll(() => thread.getByText(`Posted from the ${framework} example.`).count(), eventually).toBe(1);
      expect(failures).toEqual([]);

      // `page-id` is an attribute: the comment is filed under the example's page, not the app's address.
      const listed = `${worker.origin}/api/v1/comments?page=${encodeURIComponent(pageId)}`;
      await expect.poll(async () => (await (await fetch(listed)).json()).total, eventually).toBe(1);
    },
  );
});
