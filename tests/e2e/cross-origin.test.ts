/**
 * End to end, as a blogger's readers meet Sala: the blog lives on its own origin and loads embed.js from the
 * Worker's. The module script, its chunks and the API all cross origins; an origin the site does not allow gets
 * a clear refusal and stores nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { sharedWorker, type RunningWorker } from '../support/worker.js';

const PAGE_ID = 'https://mekong-notes.example/2026/11/cross-origin.html';
const eventually = { timeout: 15_000 };

let worker: RunningWorker;
let browser: Browser;
let blog: Server;

/** A stand-in for the blogger's host: one post page with the two lines Sala asks for. */
function servePost(
  host: string,
  scriptTag = `<script type="module" src="${worker.origin}/embed.js"></script>`,
  lang = 'en',
  thread = `<sala-comments page-id="${PAGE_ID}"></sala-comments>`,
): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // Blogger's themes print an Arabic blog's page right to left.
    response.end(`<!doctype html><html lang="${lang}"${lang === 'ar' ? ' dir="rtl"' : ''}><head><meta charset="utf-8"><title>A post</title>
<link rel="icon" href="data:,">
${scriptTag}</head>
<body><main><h1>A post</h1>${thread}</main></body></html>`);
  });
  return new Promise((done) => server.listen(0, host, () => done(server)));
}

function originOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

beforeAll(async () => {
  [worker, browser] = await Promise.all([sharedWorker('other origins'), launchChromium()]);
  blog = await servePost('127.0.0.1');
});

afterAll(async () => {
  await browser?.close();
  blog?.close();
  await worker?.stop();
});

/**
 * The post on `server`'s 127.0.0.1 origin in a new page, with its errors, the widget scripts it loads, and when each
 * was asked for and came (`asked /widgets/x.js`, `came /widgets/x.js`, in the order the browser told).
 */
async function openPost(
  server: Server,
  { clock = false } = {},
): Promise<{ page: Page; failures: string[]; scripts: string[]; timeline: string[] }> {
  const page = await browser.newPage();
  // With `clock`, the page's clock is Playwright's: a reader's pause before writing can take no real time.
  if (clock) await page.clock.install();
  const failures: string[] = [];
  const scripts: string[] = [];
  const timeline: string[] = [];
  const widget = (url: string) => (url.startsWith(`${worker.origin}/widgets/`) ? new URL(url).pathname : undefined);
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    const script = widget(request.url());
    if (!script) return;
    scripts.push(script);
    timeline.push(`asked ${script}`);
  });
  page.on('requestfinished', (request) => {
    const script = widget(request.url());
    if (script) timeline.push(`came ${script}`);
  });
  await page.goto(originOf(server, '127.0.0.1') + '/2026/11/cross-origin.html');
  return { page, failures, scripts, timeline };
}

test('a blog on another origin shows the thread and posts through the one script tag', async () => {
  const { page, failures, scripts } = await openPost(blog, { clock: true });

  const thread = page.locator('sala-comments');
  await thread
    .getByLabel(/^comment/i)
    .first()
    .waitFor();
  // A page with a thread loads the chunks whose thread chunk carries the shared code (embed.ts), none of the set
  // whose shared chunk is apart: Lit comes once, with the thread.
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((script) => !/\.thread-[\w-]{8}\.js$/.test(script))).toEqual([]);
  // Nor the hints on misspelt tags and attributes: a page without a mistake never fetches them.
  expect(scripts.filter((script) => script.includes('diagnostics'))).toEqual([]);
  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill('Read from across origins.');
  await thread.getByLabel(/^name/i).first().fill('Dara');
  await page.clock.fastForward(3_000); // a reader reads first; faster forms are refused as bot-like
  await thread
    .getByRole('button', { name: /post comment/i })
    .first()
    .click();
  await expect.poll(() => thread.getByText('Read from across origins.').count(), eventually).toBe(1);
  expect(failures).toEqual([]);

  const api = `${worker.origin}/api/v1/comments?page=${encodeURIComponent(PAGE_ID)}`;
  await expect.poll(async () => (await (await fetch(api)).json()).total, eventually).toBe(1);
});

/**
 * The table of language packs was asked for before the thread's chunk had come (`timeline` from openPost), or on a
 * page without a thread, the table of the lists' set before `first`'s chunk.
 */
function expectPacksAskedBeforeThreadCame(timeline: string[], first = 'comments.thread'): void {
  const set = first.endsWith('.thread') ? '.thread' : '';
  const packsAsked = timeline.findIndex((event) => event.startsWith(`asked /widgets/packs${set}-`));
  const firstCame = timeline.findIndex((event) => event.startsWith(`came /widgets/${first}-`));
  expect(packsAsked, timeline.join('\n')).toBeGreaterThan(-1);
  expect(packsAsked, timeline.join('\n')).toBeLessThan(firstCame);
}

test('a blog in Spanish (Blogger writes the blog’s language in <html lang>) gets the thread in Spanish', async () => {
  const spanish = await servePost('127.0.0.1', undefined, 'es');
  try {
    const { page, failures, scripts, timeline } = await openPost(spanish);

    const thread = page.locator('sala-comments');
    await thread.getByLabel('Escribe un comentario').waitFor(eventually);
    await expect
      .poll(() => thread.getByRole('heading').first().textContent(), eventually)
      .toMatch(/^\s*\d+ comentarios?\s*$/);
    // The pack comes from the Worker as its own chunk, found through the table of packs, each fetched once.
    expect(scripts.filter((script) => /\/(packs|es)\.thread-/.test(script)).length).toBe(2);
    // embed.js asks for the table (which starts on the Spanish pack) beside the thread's chunk, not once that chunk
    // has come and run: the thread waits the less for its words.
    expectPacksAskedBeforeThreadCame(timeline);
    expect(failures).toEqual([]);
  } finally {
    spanish.close();
  }
});

test('a blog in Arabic (<html dir="rtl" lang="ar">) gets the thread in Arabic, right to left, its pack fetched once', async () => {
  const arabic = await servePost('127.0.0.1', undefined, 'ar');
  try {
    const { page, failures, scripts, timeline } = await openPost(arabic);

    const thread = page.locator('sala-comments');
    await thread.getByLabel('أضف تعليقًا').waitFor(eventually);
    // However many comments the shared Worker holds for the post, one of Arabic's six forms.
    await expect
      .poll(() => thread.getByRole('heading').first().textContent(), eventually)
      .toMatch(/^\s*(لا تعليقات|تعليق واحد|تعليقان|\d+ (تعليقات|تعليقًا|تعليق))\s*$/);
    expect(
      await thread
        .locator('.root')
        .evaluate((root) => [(root as HTMLElement).lang, (root as HTMLElement).dir, getComputedStyle(root).direction]),
    ).toEqual(['ar', 'rtl', 'rtl']);
    expect(scripts.filter((script) => /\/(packs|ar)\.thread-/.test(script)).length).toBe(2);
    expectPacksAskedBeforeThreadCame(timeline);
    expect(failures).toEqual([]);
  } finally {
    arabic.close();
  }
});

test('a blog whose <html lang> says "in" (Java’s old code for Indonesian) gets the thread in Indonesian', async () => {
  const indonesian = await servePost('127.0.0.1', undefined, 'in');
  try {
    const { page, failures, scripts } = await openPost(indonesian);

    const thread = page.locator('sala-comments');
    await thread.getByRole('textbox', { name: 'Komentar' }).waitFor(eventually);
    await expect
      .poll(() => thread.getByRole('heading').first().textContent(), eventually)
      .toMatch(/^\s*\d+ komentar\s*$/);
    expect(await thread.locator('.root').getAttribute('lang')).toBe('id');
    // The table starts on the Indonesian pack as it runs, and the thread finds it there: each fetched once.
    expect(scripts.filter((script) => /\/(packs|id)\.thread-/.test(script)).length).toBe(2);
    expect(failures).toEqual([]);
  } finally {
    indonesian.close();
  }
  // Its home page, popular posts and a count and no thread: embed.js asks for the lists' table beside the first list's
  // chunk, as it does for a thread, and the list and the count find the Indonesian pack on its way.
  const home = await servePost(
    '127.0.0.1',
    undefined,
    'in',
    `<sala-popular-posts no-track></sala-popular-posts><sala-comment-count href="${PAGE_ID}"></sala-comment-count>`,
  );
  try {
    const { page, failures, scripts, timeline } = await openPost(home);

    await page.locator('sala-popular-posts').getByText('Belum ada postingan populer.').waitFor(eventually);
    await expect
      .poll(() => page.locator('sala-comment-count a').textContent(), eventually)
      .toMatch(/^\s*\d+ komentar\s*$/);
    expect(scripts.filter((script) => /\/(packs|id)-/.test(script)).length).toBe(2);
    expectPacksAskedBeforeThreadCame(timeline, 'popular-posts');
    expect(failures).toEqual([]);
  } finally {
    home.close();
  }
});

test('a post whose container says lang="ja" under an English <html> gets its words as soon as a Japanese page', async () => {
  const thread = `<article lang="ja"><p>散歩</p><sala-comments page-id="${PAGE_ID}"></sala-comments></article>`;
  const japanese = await servePost('127.0.0.1', undefined, 'en', thread);
  try {
    const { page, failures, scripts, timeline } = await openPost(japanese);

    await expect
      .poll(() => page.locator('sala-comments').getByRole('heading').first().textContent(), eventually)
      .toMatch(/^\s*\d+ 件のコメント\s*$/);
    expect(scripts.filter((script) => /\/(packs|ja)\.thread-/.test(script)).length).toBe(2);
    // The thread's own lang, not only <html lang>, has embed.js ask for the table beside the thread's chunk.
    expectPacksAskedBeforeThreadCame(timeline);
    expect(failures).toEqual([]);
  } finally {
    japanese.close();
  }
});

test('an origin the site does not allow gets a clear refusal and stores nothing', async () => {
  const stranger = await servePost('::1');
  try {
    const page = await browser.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())));
    await page.goto(originOf(stranger, '::1') + '/');
    const thread = page.locator('sala-comments');
    await expect.poll(() => thread.getByRole('alert').count(), eventually).toBeGreaterThan(0);
    await expect.poll(() => thread.getByRole('alert').first().textContent(), eventually).toMatch(/not allowed|site/i);
    // Whoever sets the page up reads the Worker's own answer, which names the origin, in the console.
    expect(
      warnings.some((text) => text.startsWith('[sala] <sala-comments>') && text.includes(originOf(stranger, '::1'))),
    ).toBe(true);
  } finally {
    stranger.close();
  }
});

test('a misspelt tag and a misspelt attribute in the pasted snippet are named in the console with their fix', async () => {
  const misspelt = await servePost(
    '127.0.0.1',
    undefined,
    'en',
    `<sala-coments></sala-coments><sala-comments pageid="${PAGE_ID}"></sala-comments>`,
  );
  try {
    const page = await browser.newPage();
    const hints: string[] = [];
    page.on('console', (message) => void (message.text().startsWith('[sala]') && hints.push(message.text())));
    await page.goto(originOf(misspelt, '127.0.0.1') + '/2026/11/cross-origin.html');
    await page
      .locator('sala-comments')
      .getByLabel(/^comment/i)
      .waitFor(eventually);
    await expect.poll(() => hints.length, eventually).toBe(2);
    expect(hints.sort()).toEqual([
      '[sala] <sala-coments> is not a Sala element; did you mean <sala-comments>?',
      '[sala] <sala-comments> has no attribute "pageid"; did you mean "page-id"?',
    ]);
  } finally {
    misspelt.close();
  }
});

test('embed.js loaded without type="module" (a page builder dropped it) still shows the thread, once', async () => {
  const classic = await servePost('127.0.0.1', `<script src="${worker.origin}/embed.js"></script>`);
  try {
    const { page, failures, scripts } = await openPost(classic);
    const thread = page.locator('sala-comments');
    await thread.getByLabel(/^comment/i).waitFor(eventually);
    await expect.poll(() => thread.getByRole('heading').first().textContent(), eventually).toMatch(/\d+ comments?/);
    expect(scripts.filter((script) => script.startsWith('/widgets/comments'))).toHaveLength(1);
    expect(failures).toEqual([]);
  } finally {
    classic.close();
  }
});
