import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import takeout from '@sala-fixtures/import/blogger-takeout.atom?raw';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ImportComment, ImportRequest, ImportThread } from '@sala/protocol';
import { cleanUp, deepQuery, expectFocus, mountAdmin, page, paintedTops } from '../../test/admin-render.js';
import { FakeAdminApi, SITE } from '../../test/fake-admin-api.js';
import { IMPORT_RECONNECT_WAITS_MS, parseWith, type ImportParser, type SalaAdminImport } from './import-tab.js';
import { DEFAULT_IMPORT_OPTIONS, ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import type { ReadProgress } from './read-file.js';

let api: FakeAdminApi;
/** The options each parse was asked for, in order. */
let parses: ImportOptions[];

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#import';
  parses = [];
});

afterEach(async () => {
  vi.restoreAllMocks();
  cleanUp();
  document.documentElement.removeAttribute('lang');
  // A run a test left waiting holds its site's import lock: the next test is another page, with none held.
  await releaseImportLocks();
});

/** Lets go of the import locks a run in this test's page holds, as closing the page would. */
async function releaseImportLocks(): Promise<void> {
  for (const site of ['demo', 'other']) await navigator.locks.request(`sala:import:${site}`, { steal: true }, () => {});
}

/** Another admin page's run, as the Web Lock it holds for site demo: resolves once held, to what ends that run. */
async function holdImportLock(): Promise<() => void> {
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  await new Promise<void>((taken) => {
    // A test that fails first leaves it held, and the next test's clean-up steals it: that is no error.
    navigator.locks.request('sala:import:demo', () => (taken(), ended)).catch(() => {});
  });
  return end;
}

/** The requests for site demo's import lock that wait in this browser's queue. */
async function pending(): Promise<number> {
  return ((await navigator.locks.query()).pending ?? []).filter((lock) => lock.name === 'sala:import:demo').length;
}

/** Closes the admin page, as far as a test can: its elements and its runs' locks go (the runs' promises linger). */
async function closePage(): Promise<void> {
  document.body.replaceChildren();
  await releaseImportLocks();
}

function comment(sourceId: string, fields: Partial<ImportComment> = {}): ImportComment {
  return {
    sourceId,
    authorName: `Reader ${sourceId}`,
    createdAt: '2024-05-01T10:00:00.000Z',
    body: `Comment ${sourceId}`,
    status: 'approved',
    ...fields,
  };
}

/** 25 posts (or `count`) on an old http address, three comments each (a reply among them), one of them held. */
function threads(origin: string, count = 25): ImportThread[] {
  return Array.from({ length: count }, (_, index) => ({
    pageId: `${origin}/2024/05/post-${index}`,
    title: `Post ${index}`,
    comments: [
      comment(`${index}-a`),
      comment(`${index}-b`, { parentSourceId: `${index}-a` }),
      comment(`${index}-c`, { status: index === 0 ? 'pending' : 'approved' }),
    ],
  }));
}

/** "A trip to Angkor 2024", in Arabic. */
const RTL_TITLE = 'رحلة إلى أنغكور 2024';

/**
 * A stand-in for parse.ts, to the contract: `https`, then `fromOrigin` to `toOrigin`, rewrite the posts' addresses; a file starting "many" has 120
 * posts; "broken" is a file that is not XML.
 */
function planFor(text: string, options: ImportOptions): ImportPlan {
  parses.push(options);
  if (text.startsWith('broken')) throw new ImportFileError('not-xml', 'Unexpected end of input');
  const { https, fromOrigin, toOrigin } = options.rewrites;
  const rewritten = https ? 'https://blog.example' : 'http://blog.example';
  const origin = fromOrigin === rewritten && toOrigin ? toOrigin : rewritten;
  if (text.startsWith('one')) {
    const [post] = threads(origin, 1);
    return {
      source: 'blogger',
      threads: [{ ...post!, comments: [comment('0-a')] }],
      counts: { approved: 1, pending: 0, spam: 0, rejected: 0 },
      skipped: [],
    };
  }
  // "rtl": one post with an Arabic title, which ends in a number as titles often do.
  if (text.startsWith('rtl')) {
    const [post] = threads(origin, 1);
    return {
      source: 'blogger',
      threads: [{ ...post!, title: RTL_TITLE, comments: [comment('0-a')] }],
      counts: { approved: 1, pending: 0, spam: 0, rejected: 0 },
      skipped: [],
    };
  }
  const count = text.startsWith('many') ? 120 : 25;
  // "big": first in the file, a post of 2,001 comments, more than the free plan's last part publishes; "bigger": a
  // second one of 2,050 after it.
  // "edited": the same blog exported again, the first comment of each big post edited since.
  const edited = text.includes('edited');
  const bigPost = (slug: string, title: string, size: number): ImportThread => ({
    pageId: `${origin}/2019/01/${slug}`,
    title,
    comments: Array.from({ length: size }, (_, index) =>
      comment(`${slug}-${index}`, edited && index === 0 ? { body: 'Comment edited' } : {}),
    ),
  });
  const big: ImportThread[] = text.startsWith('big') ? [bigPost('the-big-one', 'The big one', 2001)] : [];
  if (text.startsWith('bigger')) big.push(bigPost('the-bigger-one', 'The bigger one', 2050));
  // "closing": the first two posts were closed where the file comes from (as Disqus and WordPress files say).
  const closing = text.startsWith('closing') ? 2 : 0;
  const posts = threads(origin, count).map((thread, index) => (index < closing ? { ...thread, closed: true } : thread));
  return {
    source: 'blogger',
    threads: [...big, ...posts],
    counts: {
      approved: count * 3 - 1 + big.reduce((sum, post) => sum + post.comments.length, 0),
      pending: 1,
      spam: 0,
      rejected: 0,
    },
    skipped: [
      { reason: 'deleted', count: 2, examples: ['tag:blogger.com,1999:blog-1.post-77'] },
      { reason: 'draft', count: 1, examples: ['tag:blogger.com,1999:blog-1.post-90'] },
    ],
  };
}

const fakeParse: ImportParser = async (file, options) => planFor(await file.text(), options);

/** The Import tab's section, apart from the page's live region that repeats its news. */
function tab() {
  return page.getByRole('region', { name: 'Import comments' });
}

async function openImport(): Promise<SalaAdminImport> {
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'Import comments', level: 2 })).toBeVisible();
  const tab = deepQuery<SalaAdminImport>('sala-admin-import')!;
  tab.parse = fakeParse;
  return tab;
}

/** Opens the tab with the page in Khmer. */
async function openImportInKhmer(): Promise<SalaAdminImport> {
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'នាំចូលមតិយោបល់' })).toBeVisible();
  const tab = deepQuery<SalaAdminImport>('sala-admin-import')!;
  tab.parse = fakeParse;
  return tab;
}

/** Chooses a file in the tab's file input, as the browser's file picker would. */
/**
 * Opens the tab with the page's and the server's clock in the test's hands: `wake()` moves both to just after the
 * server's `resumesAt` (a new day, its writes reset) and lets the paused import go on; `wakeUps` are the times the tab
 * asked to be woken at.
 */
async function openWithClock(): Promise<{ wakeUps: number[]; wake: () => void }> {
  const element = await openImport();
  // Both clocks run on together from here: the page's (`Date.now`) and the server's, moved on at once by `wake`.
  const realNow = Date.now.bind(Date);
  let shift = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
  api.now = () => Date.now();
  const { at: wakeUps, end } = holdWaits(element);
  return {
    wakeUps,
    wake: () => {
      shift += wakeUps.at(-1)! - Date.now();
      api.newDay();
      end();
    },
  };
}

/** When the test's export file was saved: the same file chosen twice has the same time, as a file on disk does. */
const SAVED_AT = Date.parse('2024-05-01T12:00:00Z');

async function choose(text: string, name = 'blog-05-01-2024.xml', lastModified = SAVED_AT): Promise<void> {
  // The field shows once the tab knows what waits on the server.
  await vi.waitFor(() => expect(deepQuery('#import-file')).not.toBeNull());
  const input = deepQuery<HTMLInputElement>('#import-file')!;
  const files = new DataTransfer();
  files.items.add(new File([text], name, { type: 'text/xml', lastModified }));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Opens the tab with the clock in the test's hands (`openWithClock`) and imports the test's file with room for its
 * queue but not its threads, so the run pauses at its first batch and waits for the reset.
 */
async function pauseOnBudget(): Promise<{ wakeUps: number[]; wake: () => void }> {
  api.writeBudget = 10;
  api.queueAllowance = 5;
  const clock = await openWithClock();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches/ })).toBeVisible();
  return clock;
}

/** Pauses an import (`pauseOnBudget`), closes the page and opens the tab again: its paused file's note, shown. */
async function reopenPaused() {
  await pauseOnBudget();
  await closePage();
  await openImport();
  const notice = tab().getByText(/^The import of blog-05-01-2024\.xml paused part-way/);
  await expect.element(notice).toBeVisible();
  return notice;
}

/** Holds the answers to the requests `which` picks until the returned function is called. */
function holdRequests(which: (input: RequestInfo | URL, init?: RequestInit) => boolean): () => void {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fakeFetch = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (which(input, init)) await gate;
    return fakeFetch(input, init);
  });
  return release;
}

const importRequest = (input: RequestInfo | URL, init?: RequestInit) =>
  init?.method === 'POST' && !String(input).includes('dryRun');
const dryRunRequest = (input: RequestInfo | URL) => String(input).includes('dryRun');

/**
 * The import requests (not dry runs) that `lost` picks, by their count from 1, never reach the server: fetch rejects, as
 * it does when the connection is lost, or with `hang`, never settles until the request's signal aborts (a half-open
 * connection, a proxy that never answers).
 */
function loseImportRequests(lost: (sent: number) => boolean = () => true, { hang = false } = {}): void {
  const fakeFetch = globalThis.fetch;
  let sent = 0;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!importRequest(input, init) || !lost(++sent)) return fakeFetch(input, init);
    if (!hang) throw new TypeError('Failed to fetch');
    return new Promise<Response>((_, reject) => {
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  });
}

/**
 * The import requests (not dry runs) that `lost` picks, by their count from 1, reach the server, which writes them, but
 * their answer never comes back whole: `dropped`, the connection fails after the server wrote (fetch rejects); `hung`,
 * it never comes until the request's signal aborts (its deadline); `cut`, a 200 whose body stops short (a proxy cut it,
 * the connection dropped mid-body).
 */
function loseImportAnswers(lost: (sent: number) => boolean, how: 'dropped' | 'hung' | 'cut'): void {
  const fakeFetch = globalThis.fetch;
  let sent = 0;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const answer = await fakeFetch(input, init);
    if (!importRequest(input, init) || !lost(++sent)) return answer;
    if (how === 'dropped') throw new TypeError('Failed to fetch');
    if (how === 'hung')
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const text = await answer.text();
    return new Response(text.slice(0, text.length / 2), { headers: { 'Content-Type': 'application/json' } });
  });
}

/** The requests `which` picks never settle until their signal aborts (a half-open connection, a proxy that hangs). */
function hangRequests(which: (input: RequestInfo | URL, init?: RequestInit) => boolean): void {
  const fakeFetch = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!which(input, init)) return fakeFetch(input, init);
    return new Promise<Response>((_, reject) => {
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  });
}

/** The browser's clock for requests' deadlines (`AbortSignal.timeout`), in the test's hands: `ms` each, `timeUp()`. */
function holdDeadlines(): { ms: number; timeUp: () => void }[] {
  const deadlines: { ms: number; timeUp: () => void }[] = [];
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
    const controller = new AbortController();
    deadlines.push({ ms, timeUp: () => controller.abort(new DOMException('signal timed out', 'TimeoutError')) });
    return controller.signal;
  });
  return deadlines;
}

/**
 * Holds the tab's waits until the test ends them: `waits` says how long each was (ms), `at` until when (the time the tab
 * asked to be woken at), `end()` ends the latest.
 */
function holdWaits(element: SalaAdminImport): { waits: number[]; at: number[]; end: () => void } {
  const waits: number[] = [];
  const at: number[] = [];
  let end = () => {};
  element.wait = (time) => {
    waits.push(time - Date.now());
    at.push(time);
    return new Promise((resolve) => (end = resolve));
  };
  return { waits, at, end: () => end() };
}

function importRequests(dryRun: boolean): ImportRequest[] {
  return api
    .requestsTo('POST', '/sites/demo/import')
    .filter((request) => request.url.searchParams.has('dryRun') === dryRun)
    .map((request) => request.body as ImportRequest);
}

it('previews a file before anything is written: format, counts, what is left out, the posts, what is new', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText('Format: Blogger backup.')).toBeVisible();
  await expect.element(tab().getByText('75 comments in 25 posts:')).toBeVisible();
  await expect.element(tab().getByText('published: 74')).toBeVisible();
  await expect.element(tab().getByText('held for review: 1')).toBeVisible();
  await expect.element(tab().getByText('Deleted or removed: 2')).toBeVisible();
  await expect.element(tab().getByText('On a draft or unpublished post: 1')).toBeVisible();
  await expect.element(tab().getByText('For example: tag:blogger.com,1999:blog-1.post-90')).toBeVisible();
  const table = page.getByRole('table', { name: 'Posts the comments land on' });
  await expect
    .element(table.getByRole('cell', { name: 'https://blog.example/2024/05/post-0', exact: true }))
    .toBeVisible();
  expect(table.getByRole('row').elements()).toHaveLength(21); // the header and the first 20
  await expect.element(tab().getByText('and 5 more posts.')).toBeVisible();
  // The dry run: nothing written, every comment new.
  await expect
    .element(tab().getByText('New on the server: 75 comments. Posts already imported in full: 0.'))
    .toBeVisible();
  expect(importRequests(false)).toEqual([]);
  // 75 comments: two requests of at most 50 (16 posts of 3, then 9).
  expect(importRequests(true).map((request) => request.threads.length)).toEqual([16, 9]);
  expect(api.imported.size).toBe(0);
});

it('parses again when a rewrite changes, and the posts land on the rewritten addresses', async () => {
  await openImport();
  await choose('<feed/>');
  const table = page.getByRole('table', { name: 'Posts the comments land on' });
  await expect
    .element(table.getByRole('cell', { name: 'https://blog.example/2024/05/post-0', exact: true }))
    .toBeVisible();
  await page.getByRole('checkbox', { name: 'Change http:// to https://' }).click();
  await expect
    .element(table.getByRole('cell', { name: 'http://blog.example/2024/05/post-0', exact: true }))
    .toBeVisible();
  await page.getByLabelText('Old address').fill('https://old.example');
  await page.getByLabelText('New address').fill('https://blog.example');
  await page.getByLabelText('New address').element().dispatchEvent(new Event('change'));
  await vi.waitFor(() => expect(parses.at(-1)?.rewrites).toMatchObject({ fromOrigin: 'https://old.example' }));
  expect(parses.at(-1)).toEqual({
    rewrites: {
      https: false,
      bloggerDotCom: true,
      fromOrigin: 'https://old.example',
      toOrigin: 'https://blog.example',
    },
    pingbacks: 'skip',
    keepSpam: false,
  });
  await page.getByRole('radio', { name: 'Keep each as a comment with the linking page’s address' }).click();
  await page.getByRole('checkbox', { name: /Import comments marked spam/ }).click();
  await vi.waitFor(() => expect(parses.at(-1)).toMatchObject({ pingbacks: 'links', keepSpam: true }));
});

it('holds an Import click made while a changed address has the file read again, and imports the new addresses', async () => {
  const element = await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  element.parse = async (file, options, reading) => {
    await gate;
    return fakeParse(file, options, reading);
  };
  await page.getByLabelText('Old address').fill('https://blog.example');
  await page.getByLabelText('New address').fill('https://new.example');
  await page.getByLabelText('New address').element().dispatchEvent(new Event('change'));
  const button = page.getByRole('button', { name: 'Import', exact: true });
  await expect.element(button).toHaveAttribute('aria-disabled', 'true');
  // The owner's click lands while the file is read again (aria-disabled does not stop a pointer).
  (button.element() as HTMLButtonElement).click();
  const held = page.getByRole('status').filter({
    hasText: 'Reading the file again with the changed settings; the import starts as soon as that is done.',
  });
  await expect.element(held.first()).toBeVisible();
  // Said once: the run's status line is a live region, so the page's announcer repeating it made a screen reader
  // read it twice. The announcer fills in one update after it is asked (blanked first, so a repeat is read again).
  const admin = deepQuery('sala-admin') as HTMLElement & { updateComplete: Promise<boolean> };
  await admin.updateComplete;
  await admin.updateComplete;
  expect(held.elements()).toHaveLength(1);
  expect(importRequests(false)).toEqual([]);

  release();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  const pages = importRequests(false).flatMap((request) => request.threads.map((thread) => thread.pageId));
  expect(pages).toHaveLength(25);
  expect(pages.every((pageId) => pageId.startsWith('https://new.example/2024/05/post-'))).toBe(true);
});

// A right-to-left title laid out in the sentence's direction would take the words and numbers after it along.
it('sets a right-to-left post title apart from the sentence around it, in the preview and the report', async () => {
  await openImport();
  await choose('rtl');
  const cell = tab().getByRole('cell', { name: RTL_TITLE });
  await expect.element(cell).toBeVisible();
  expect(cell.element().querySelector('bdi')?.textContent).toBe(RTL_TITLE);
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const link = tab().getByRole('link', { name: `Open the comments of “${RTL_TITLE}”` });
  await expect.element(link).toBeVisible();
  expect(link.element().querySelector('bdi')?.textContent).toBe(RTL_TITLE);
});

// The site-wide Approved list holds imported comments only once the owner moderates one: an owner who looked there
// after an import thought it had failed. The report says where they are and opens one post's.
it('says where the imported comments are listed, and opens an imported post’s comments', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText(/Imported comments are listed per post/)).toBeVisible();

  await tab().getByRole('link', { name: 'Open the comments of “Post 0”' }).click();
  await expect.element(page.getByRole('button', { name: /^Approved/ })).toHaveAttribute('aria-pressed', 'true');
  await expect
    .element(page.getByLabelText('Post (address or page id)'))
    .toHaveValue('https://blog.example/2024/05/post-0');
  const listed = new URL(api.requestsTo('GET', /\/sites\/demo\/comments/).at(-1)!.url);
  expect(listed.searchParams.get('status')).toBe('approved');
  expect(listed.searchParams.get('page')).toBe('https://blog.example/2024/05/post-0');
  expect(location.hash).toBe('#comments');
});

// A run that finds everything there still ends on the posts: the owner wants to go and see them.
it('links a post already imported when a run adds nothing, worded so', async () => {
  await openImport();
  await choose('<feed/>');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByRole('link', { name: 'Open the comments of “Post 0”' })).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Nothing was added: everything in this file is already here.')).toBeVisible();
  await expect.element(tab().getByRole('link', { name: 'Open the comments of “Post 0”' })).not.toBeInTheDocument();

  await tab().getByRole('link', { name: 'Already imported: see the comments of “Post 0”' }).click();
  await expect.element(page.getByRole('button', { name: /^Approved/ })).toHaveAttribute('aria-pressed', 'true');
  const listed = new URL(api.requestsTo('GET', /\/sites\/demo\/comments/).at(-1)!.url);
  expect(listed.searchParams.get('page')).toBe('https://blog.example/2024/05/post-0');
});

// Comment ids come from the file, not the address: imported again with its addresses rewritten otherwise, the server
// leaves the comments where they are, and the preview and the report say how many and where.
it('says the comments already imported at another address stay there, in the preview and the report', async () => {
  await openImport();
  await choose('<feed/>');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();

  await page.getByLabelText('Old address').fill('https://blog.example');
  await page.getByLabelText('New address').fill('https://new.example');
  await page.getByLabelText('New address').element().dispatchEvent(new Event('change'));
  const said =
    'Already imported at another address, and left there: 75 comments (on https://blog.example/2024/05/post-0, https://blog.example/2024/05/post-1, https://blog.example/2024/05/post-2…). To move them to this file’s addresses, delete them there first, then import again.';
  await expect.poll(() => deepQuery('#import-dry-run')?.textContent).toContain(said);
  expect(deepQuery('#import-dry-run')?.textContent).toContain('New on the server: 0 comments');
  // A screen reader is told too: the import would not do what the owner expects of it.
  await expect.element(page.getByRole('status').filter({ hasText: said })).toBeInTheDocument();
  // The posts' table says so of each of them, not "already imported" at the file's new address, which has none.
  const table = page.getByRole('table', { name: 'Posts the comments land on' });
  expect(table.getByRole('cell', { name: 'already imported at another address' }).elements()).toHaveLength(20);
  expect(table.getByRole('cell', { name: 'already imported', exact: true }).elements()).toHaveLength(0);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // Not "already here": they are not, at the file's addresses.
  await expect
    .element(tab().getByText('Nothing was added: everything in this file is already imported.'))
    .toBeVisible();
  await expect.element(tab().getByText(said, { exact: true })).toBeVisible();
  expect([...api.imported.keys()].every((pageId) => pageId.startsWith('https://blog.example/'))).toBe(true);

  // The report's link opens the post where its comments are, not the file's new address, which has none.
  await tab().getByRole('link', { name: 'Already imported: see the comments of “Post 0”' }).click();
  await expect
    .element(page.getByLabelText('Post (address or page id)'))
    .toHaveValue('https://blog.example/2024/05/post-0');
});

// A dry run checks each part of a big post alone: its parts' comments found at another address add up.
it('counts every part of a big post already imported at another address in the preview', async () => {
  const element = await openImport();
  element.wait = async () => {};
  await choose('big <feed/>');
  await expect.element(tab().getByText(/New on the server: 2,076 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();

  await page.getByLabelText('Old address').fill('https://blog.example');
  await page.getByLabelText('New address').fill('https://new.example');
  await page.getByLabelText('New address').element().dispatchEvent(new Event('change'));
  await expect
    .poll(() => deepQuery('#import-dry-run')?.textContent)
    .toContain('Already imported at another address, and left there: 2,076 comments');
});

it('imports in batches with progress and a report, then a second run adds nothing', async () => {
  await openImport();
  await choose('<feed/>');
  const button = page.getByRole('button', { name: 'Import', exact: true });
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();

  // Hold the answer to the import so the progress can be seen.
  const release = holdRequests(importRequest);
  await button.click();
  await expect.element(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Importing…' })).toHaveAttribute('aria-disabled', 'true');
  release();

  const report = page.getByRole('heading', { name: 'Import report' });
  await expectFocus(report);
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(importRequests(false).flatMap((request) => request.threads)).toEqual(threads('https://blog.example'));
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Nothing was added: everything in this file is already here.')).toBeVisible();
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);
});

it('names the posts the file closes, and closes them, or leaves them open when the owner says so', async () => {
  await openImport();
  await choose('closing <feed/>');
  await expect
    .element(
      tab().getByText(
        'This file closes 2 posts to new comments, as they were closed where the file comes from: https://blog.example/2024/05/post-0, https://blog.example/2024/05/post-1.',
      ),
    )
    .toBeVisible();
  const leaveOpen = page.getByRole('checkbox', { name: 'Leave these posts open (import their comments only)' });
  await expect.element(leaveOpen).not.toBeChecked();
  const closedIn = (requests: ImportRequest[]) =>
    requests
      .flatMap((request) => request.threads)
      .filter((thread) => thread.closed === true)
      .map((t) => t.pageId);

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(closedIn(importRequests(false))).toEqual([
    'https://blog.example/2024/05/post-0',
    'https://blog.example/2024/05/post-1',
  ]);

  // The preview is checked again after the run; let that check (made with the box unticked) end before watching the
  // one the box starts.
  await expect.element(tab().getByText(/Posts already imported in full: 25\./)).toBeVisible();
  api.requests.length = 0;
  await leaveOpen.click();
  await vi.waitFor(() => expect(importRequests(true).length).toBeGreaterThan(0));
  expect(closedIn(importRequests(true))).toEqual([]);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Nothing was added: everything in this file is already here.')).toBeVisible();
  expect(importRequests(false).flatMap((request) => request.threads)).toHaveLength(25);
  expect(closedIn(importRequests(false))).toEqual([]);
});

it('says which posts are already imported when the file is chosen again', async () => {
  for (const [index, thread] of threads('https://blog.example').entries()) {
    if (index < 24) api.imported.set(thread.pageId, new Set(thread.comments.map((c) => c.sourceId)));
  }
  await openImport();
  await choose('<feed/>');
  await expect
    .element(tab().getByText('New on the server: 3 comments. Posts already imported in full: 24.'))
    .toBeVisible();
  const table = page.getByRole('table', { name: 'Posts the comments land on' });
  expect(table.getByRole('cell', { name: 'already imported' }).elements()).toHaveLength(20);
});

it('says what is already there is unknown when the Worker has no dry run, and still imports', async () => {
  api.dryRuns = false;
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/This server cannot say what is already imported/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
});

it('stops at a refused batch with the Worker’s message, the field and the post', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/^New on the server: \d/)).toBeVisible();
  api.failNext(
    'POST',
    400,
    { code: 'invalid_field', message: 'The body is over 10,000 characters.', field: 'threads[3].comments[1].body' },
    /import/,
  );
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect
    .element(alert)
    .toMatchTextContent(
      'The server refused batch 1 of 2: The body is over 10,000 characters. Field: threads[3].comments[1].body, on Post 3.',
    );
  await expect.element(alert).toMatchTextContent(/Import again to continue/);
  expect(api.imported.size).toBe(0);
});

it('reports posts queued past the day’s writes with the time they are written and what waits', async () => {
  api.writeBudget = 10;
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/^New on the server: \d/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 10 (30 comments added).')).toBeVisible();
  await expect
    .element(tab().getByText(/Posts waiting for the next day’s free plan writes: 15\. The server writes them at .*\d/))
    .toBeVisible();
  await expect
    .element(
      tab().getByText(
        /Waiting on the server: 15 posts, 45 comments\. Today’s free plan KV writes are used up, so the cron writes them after 00:00 UTC, at .*\d/,
      ),
    )
    .toBeVisible();
  expect(api.requestsTo('GET', '/sites/demo/import').length).toBeGreaterThanOrEqual(2);
});

it('pauses when the server says the day’s writes are spent, says until when, and sends the rest itself after the reset', async () => {
  api.writeBudget = 10;
  api.queueAllowance = 5;
  const { wakeUps, wake } = await openWithClock();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // The first batch of 16 posts: 10 written, 5 queued, the 16th paused. The second batch is not sent yet.
  const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  // In the owner's time, as the page's dates are written.
  const time = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(midnight);
  const paused = page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches \(0 comments\)/ });
  await expect.element(paused).toBeVisible();
  expect(paused.element().textContent).toMatch(
    /today’s write budget for imports is used up, and what was sent is saved\. The import goes on by itself at .*\d.*, after the daily reset at 00:00 UTC, if this page stays open\. If you close it, import the same file again after then: what is already in is skipped\./,
  );
  expect(paused.element().textContent).toContain(time);
  expect(wakeUps).toEqual([midnight + 60_000]);
  expect(importRequests(false).map((request) => request.threads.length)).toEqual([16]);
  await expect.element(page.getByRole('button', { name: 'Importing…' })).toHaveAttribute('aria-disabled', 'true');

  wake();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  // The paused post alone, then the second batch: every post once, none paused.
  const sent = importRequests(false).map((request) => request.threads.map((thread) => thread.pageId));
  expect(sent.map((pages) => pages.length)).toEqual([16, 1, 9]);
  expect(sent[1]).toEqual([sent[0]![15]]);
  await expect.element(tab().getByText('Posts with new comments: 20 (60 comments added).')).toBeVisible();
  await expect.element(tab().getByText(/Posts waiting for the next day’s free plan writes: 5\./)).toBeVisible();
  expect(
    tab()
      .getByText(/Paused/)
      .elements(),
  ).toEqual([]);
});

it('shows what waits on the server as soon as a run pauses, on the page that never left the tab', async () => {
  const { wake } = await pauseOnBudget();
  // The 5 posts queued before the pause, with 3 comments each.
  await expect
    .element(tab().getByText(/Waiting on the server: 5 posts, 15 comments\. Today’s free plan KV writes are used up/))
    .toBeVisible();

  // The run ends after the reset, the rest written that day: the same 5 still wait (the test has no cron).
  wake();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect.element(tab().getByText(/Waiting on the server: 5 posts, 15 comments\./)).toBeVisible();
});

it('marks the posts that wait on the server in the preview’s table, neither new nor already imported', async () => {
  await pauseOnBudget();
  await page.getByRole('button', { name: 'Stop waiting' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();

  // Checked again after the run: 10 posts written, the next 5 queued for the cron, the rest not sent.
  const newColumn = (post: number) =>
    tab()
      .getByRole('row', { name: new RegExp(`^Post ${post} `) })
      .getByRole('cell')
      .last();
  // Its name: what it says, without the column's name a phone shows before it (hidden from screen readers).
  await expect.element(newColumn(12)).toHaveAccessibleName('waiting on the server');
  await expect.element(newColumn(3)).toHaveAccessibleName('already imported');
  await expect.element(newColumn(17)).toHaveAccessibleName('3');
});

it('shows a waiting post changed since it was queued as an estimate, in the posts table and the summary, not as new', async () => {
  // Today's writes used up: every post of the file waits on the server, the big one's parts staged.
  api.writeBudget = 0;
  await openImport();
  await choose('big <feed/>');
  await expect.element(tab().getByText(/New on the server: 2,076 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText(/^Posts waiting for the next day’s free plan writes: 26\./)).toBeVisible();

  // Exported again with a comment in the big post's first part edited: the dry run can only estimate that post.
  await choose('big edited <feed/>');
  await expect
    .element(tab().getByText(/^New on the server: \d/))
    .toHaveTextContent(
      'New on the server: 0 comments. Posts already imported in full: 0. Only estimated, not counted as new: 50 comments in 1 post changed since queued; the import’s report gives the exact count.',
    );
  const newColumn = (post: string) =>
    tab()
      .getByRole('row', { name: new RegExp(`^${post} `) })
      .getByRole('cell')
      .last();
  await expect
    .element(newColumn('The big one'))
    .toHaveAccessibleName('changed since it was queued: counts are an estimate');
  await expect.element(newColumn('Post 3')).toHaveAccessibleName('waiting on the server');

  // The import, on a day with room, says what it did: the big post published whole as edited, the rest still waiting.
  api.writeBudget = Infinity;
  api.newDay();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .element(tab().getByText('Posts with new comments: 1 (2,001 comments added).'), { timeout: 15_000 })
    .toBeVisible();
  await expect.element(tab().getByText(/^Posts waiting for the next day’s free plan writes: 25\./)).toBeVisible();
});

it('shows the file field once it knows what waits on the server: the waiting line, announced, moves nothing', async () => {
  api.queued = { threads: 5, comments: 15 };
  const releaseStatus = holdRequests(
    (input, init) => (init?.method ?? 'GET') === 'GET' && String(input).includes('/sites/demo/import'),
  );
  const painted = paintedTops(() => deepQuery('#import-file'));
  await openImport();
  // The line's answer comes after the tab has had two frames to draw what it has.
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  releaseStatus();
  const line = /Waiting on the server: 5 posts, 15 comments\./;
  await expect.element(tab().getByText(line)).toBeVisible();
  await expect.element(page.getByLabelText('Export file')).toBeVisible();
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  painted.stop();
  expect(painted.tops).toHaveLength(1);
  await expect.element(page.getByRole('status').filter({ hasText: line })).toBeVisible();
});

it('reads what waits on the server again just after the time it names, so a tab left open follows the cron', async () => {
  api.queued = { threads: 5, comments: 15 };
  // The tab's first check waits until the test has its clock in place.
  const releaseStatus = holdRequests(
    (input, init) => (init?.method ?? 'GET') === 'GET' && String(input).includes('/sites/demo/import'),
  );
  const element = await openImport();
  const wakeUps: number[] = [];
  let cronRan = () => {};
  element.waitForQueue = (time) => {
    wakeUps.push(time);
    return new Promise<void>((resolve) => (cronRan = resolve));
  };
  releaseStatus();
  await expect.element(tab().getByText(/Waiting on the server: 5 posts, 15 comments\./)).toBeVisible();
  const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  expect(wakeUps).toEqual([midnight + 60_000]);

  // The cron's first run after the reset writes 3 of them: the open tab says so without being left.
  api.queued = { threads: 2, comments: 6 };
  cronRan();
  await expect.element(tab().getByText(/Waiting on the server: 2 posts, 6 comments\./)).toBeVisible();
  expect(wakeUps).toHaveLength(2);
  // Its next run writes the rest: the line goes, and nothing more is asked.
  api.queued = { threads: 0, comments: 0 };
  cronRan();
  await expect.element(tab().getByText(/Waiting on the server/)).not.toBeInTheDocument();
  expect(wakeUps).toHaveLength(2);
});

it('remembers a paused file when the page is closed, says what was not sent, and forgets it once the file is in', async () => {
  await pauseOnBudget();

  // The page is closed and opened again later: only this browser's storage is left of the run.
  await closePage();
  await openImport();
  // The 16th post of the first batch and the 9 of the second.
  const notice = tab().getByText(
    /^The import of blog-05-01-2024\.xml paused part-way at .*\d.*\. Not sent: 10 posts, 30 comments\. Choose the same file and import it again after .*\d.*, when the day’s writes are reset: what is already in is skipped\.$/,
  );
  await expect.element(notice).toBeVisible();

  // After the reset, the same file again: what is in is skipped, the rest sent, and the notice goes.
  api.newDay();
  api.writeBudget = Infinity;
  await choose('<feed/>');
  await expect.element(tab().getByText(/Posts already imported in full: 10\./)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect.element(tab().getByText('Posts already imported, nothing added: 10.')).toBeVisible();
  await expect.element(notice).not.toBeInTheDocument();
  await closePage();
  await openImport();
  expect(
    tab()
      .getByText(/paused part-way/)
      .query(),
  ).toBeNull();
});

it('stops waiting for the reset when the owner says so, and then says what of the file was not sent', async () => {
  const { wake } = await pauseOnBudget();

  const stop = page.getByRole('button', { name: 'Stop waiting' });
  stop.element().focus();
  await userEvent.keyboard('{Enter}');
  await expectFocus(page.getByRole('heading', { name: 'Import report' }));
  await expect
    .element(tab().getByText('You stopped waiting for the daily reset: the rest of the file was not sent.'))
    .toBeVisible();
  await expect.element(tab().getByText('Posts with new comments: 10 (30 comments added).')).toBeVisible();
  await expect
    .element(
      tab().getByText(/^The import of blog-05-01-2024\.xml paused part-way at .*\. Not sent: 10 posts, 30 comments\./),
    )
    .toBeVisible();
  await expect.element(stop).not.toBeInTheDocument();
  await expect.element(page.getByRole('button', { name: 'Import', exact: true })).not.toHaveAttribute('aria-disabled');

  // The reset comes: nothing more is sent.
  wake();
  await new Promise((resolve) => setTimeout(resolve));
  expect(importRequests(false)).toHaveLength(1);
});

it('keeps a paused import waiting while the owner visits another section, and shows it with Stop waiting on return', async () => {
  const { wake } = await pauseOnBudget();

  await page.getByRole('link', { name: 'Comments' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import comments' })).not.toBeInTheDocument();
  await page.getByRole('link', { name: 'Import' }).click();

  // The same run, still waiting: its line and its Stop, not the note left for a closed page.
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches/ })).toBeVisible();
  const stop = page.getByRole('button', { name: 'Stop waiting' });
  await expect.element(stop).toBeVisible();
  expect(
    tab()
      .getByText(/paused part-way/)
      .query(),
  ).toBeNull();

  // A second file does not start a second run: the field is disabled and says why, and a dropped file is refused.
  const busy = 'An import is under way: you can choose another file when it has ended.';
  await expect.element(page.getByLabelText('Export file')).toBeDisabled();
  await expect.element(page.getByLabelText('Export file')).toHaveAccessibleDescription(new RegExp(busy));
  const files = new DataTransfer();
  files.items.add(new File(['one <feed/>'], 'other.xml', { type: 'text/xml' }));
  deepQuery<HTMLElement>('.drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true }));
  await expect.element(page.getByRole('status').filter({ hasText: busy })).toBeInTheDocument();
  expect(parses).toHaveLength(1);

  // Stop ends that run: the reset then sends nothing.
  await stop.click();
  await expect
    .element(tab().getByText('You stopped waiting for the daily reset: the rest of the file was not sent.'))
    .toBeVisible();
  wake();
  await new Promise((resolve) => setTimeout(resolve));
  expect(importRequests(false)).toHaveLength(1);
  await expect.element(page.getByLabelText('Export file')).not.toBeDisabled();
});

it('keeps each site’s import to its own Import tab when the owner switches sites', async () => {
  api.sites = [SITE, { id: 'other', name: 'Other Notes', origins: ['https://other.example'] }];
  await pauseOnBudget();

  // The other site's tab has no run: its file field takes a file.
  await page.getByLabelText('Site').selectOptions('Other Notes');
  await expect.element(page.getByLabelText('Export file')).not.toBeDisabled();
  expect(page.getByRole('button', { name: 'Stop waiting' }).query()).toBeNull();

  await page.getByLabelText('Site').selectOptions('Mekong Notes');
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches/ })).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Stop waiting' })).toBeVisible();
});

it('forgets the paused file when the owner says so, and says what was imported stays', async () => {
  const notice = await reopenPaused();
  const forget = page.getByRole('button', { name: 'Forget this file' });
  await expect
    .element(forget)
    .toHaveAccessibleDescription(
      /what was already imported stays on the server, and importing the file again still skips it\.$/,
    );
  forget.element().focus();
  await userEvent.keyboard('{Enter}');
  await expect.element(notice).not.toBeInTheDocument();
  await expectFocus(page.getByLabelText('Export file'));
  await expect
    .element(
      page.getByRole('status').filter({
        hasText: 'This browser no longer remembers blog-05-01-2024.xml. What was already imported stays on the server.',
      }),
    )
    .toBeInTheDocument();
  // Nothing was sent or undone for it.
  expect(importRequests(false)).toHaveLength(1);
  await closePage();
  await openImport();
  await expect.element(tab().getByText('Choose the file, or drop it here.')).toBeVisible();
  expect(
    tab()
      .getByText(/paused part-way/)
      .query(),
  ).toBeNull();
});

it('says what another page of this browser did with the paused file’s note: forgot it, or paused a file and queued posts', async () => {
  const notice = await reopenPaused();
  const stored = localStorage.getItem('sala:import-paused:demo');

  // Another page forgets it: the browser tells this page, as it tells every other page of the origin.
  const storedElsewhere = (newValue: string | null) => {
    if (newValue === null) localStorage.removeItem('sala:import-paused:demo');
    else localStorage.setItem('sala:import-paused:demo', newValue);
    window.dispatchEvent(
      new StorageEvent('storage', { key: 'sala:import-paused:demo', newValue, storageArea: localStorage }),
    );
  };
  storedElsewhere(null);
  await expect.element(notice).not.toBeInTheDocument();
  expect(page.getByRole('button', { name: 'Forget this file' }).query()).toBeNull();

  // Another page's run pauses on a file, having queued 3 more posts: the note is here too, saying that run goes on
  // there, with no Forget, and the waiting line counts them.
  const end = await holdImportLock();
  api.queued = { threads: 8, comments: 24 };
  storedElsewhere(stored);
  await expect.element(tab().getByText(/Waiting on the server: 8 posts, 24 comments\./)).toBeVisible();
  await expect
    .element(tab().getByText(/^The import of blog-05-01-2024\.xml is under way in another tab or window/))
    .toBeVisible();
  expect(page.getByRole('button', { name: 'Forget this file' }).query()).toBeNull();
  // The owner stops waiting there: the note stays, and may be forgotten here.
  end();
  await expect.element(notice).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Forget this file' })).toBeVisible();
});

it('offers no Forget on a second page while another page’s run holds the import, and reads the note again when it ends', async () => {
  await pauseOnBudget();
  // The page that paused is another page now: its run still holds the site's import lock, waiting for the reset.
  await closePage();
  const end = await holdImportLock();
  await openImport();
  const elsewhere =
    'The import of blog-05-01-2024.xml is under way in another tab or window of this browser: it goes on there by itself after the daily reset if that page stays open. This note is kept until that run ends.';
  await expect.element(tab().getByText(elsewhere)).toBeVisible();
  expect(page.getByRole('button', { name: 'Forget this file' }).query()).toBeNull();

  // That run imported the file to its end, which clears the note from storage, and let go of the lock.
  localStorage.removeItem('sala:import-paused:demo');
  end();
  await expect.element(tab().getByText(elsewhere)).not.toBeInTheDocument();
  expect(
    tab()
      .getByText(/paused part-way/)
      .query(),
  ).toBeNull();
});

it('offers Forget again when the other page’s run ends with the file still not in', async () => {
  await pauseOnBudget();
  await closePage();
  const end = await holdImportLock();
  await openImport();
  await expect
    .element(tab().getByText(/^The import of blog-05-01-2024\.xml is under way in another tab/))
    .toBeVisible();
  // The owner stopped waiting there: the note stays true, and this page may forget it now.
  end();
  await expect.element(tab().getByText(/^The import of blog-05-01-2024\.xml paused part-way/)).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Forget this file' })).toBeVisible();
});

it('keeps the paused file’s note when another file of the same name and size is imported to its end', async () => {
  const notice = await reopenPaused();

  // Same name, same size, saved a day later: another file, so the note stays after it goes in.
  api.newDay();
  api.writeBudget = Infinity;
  await choose('<feed/>', 'blog-05-01-2024.xml', SAVED_AT + 86_400_000);
  await expect.element(tab().getByText(/Posts already imported in full: 10\./)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect.element(notice).toBeVisible();
  await closePage();
  await openImport();
  await expect.element(notice).toBeVisible();
});

it('gives the time the queued posts are written after a resume, not the time of a later pause that queued none', async () => {
  api.writeBudget = 10;
  api.queueAllowance = 5;
  const clock = await openWithClock();
  await choose('many <feed/>');
  await expect.element(tab().getByText(/^New on the server: \d/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // The first night: 10 posts written, 5 queued for the cron, the 16th paused.
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 8 batches/ })).toBeVisible();
  const firstNight = clock.wakeUps[0]! - 60_000;

  // The second day queues nothing: 10 written, the rest paused until the second night.
  api.queueAllowance = 0;
  clock.wake();
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 1 of 8 batches/ })).toBeVisible();
  expect(clock.wakeUps[1]! - 60_000).toBe(firstNight + 86_400_000);

  // The third day has room for the rest.
  api.writeBudget = Infinity;
  clock.wake();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  const queued = tab().getByText(/^Posts waiting for the next day’s free plan writes: 5\. The server writes them at /);
  await expect.element(queued).toBeVisible();
  const format = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' });
  expect(queued.element().textContent).toContain(format.format(firstNight));
  expect(queued.element().textContent).not.toContain(format.format(firstNight + 86_400_000));
});

it('times its waits by the server’s clock, not a browser clock hours ahead of it: one send after the server’s midnight', async () => {
  api.writeBudget = 10;
  api.queueAllowance = 5;
  const ahead = 3 * 3_600_000;
  // The server's clock three hours behind this browser's.
  let serverNow = () => Date.now() - ahead;
  api.now = () => serverNow();
  const element = await openImport();
  const { at: wakeUps, end: wake } = holdWaits(element);
  const readAgainAt: number[] = [];
  element.waitForQueue = (time) => {
    readAgainAt.push(time);
    return new Promise<void>(() => {});
  };
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches/ })).toBeVisible();

  // A minute after the server's midnight, which is three hours after this browser's: the paused batches go then, and
  // the waiting line is read again then, not a minute from now (and every minute after, until the server's midnight).
  const serverMidnight = Math.ceil((api.now() + 1) / 86_400_000) * 86_400_000;
  expect(wakeUps).toEqual([serverMidnight + ahead + 60_000]);
  await expect.element(tab().getByText(/Waiting on the server: 5 posts, 15 comments\./)).toBeVisible();
  expect(readAgainAt).toEqual([serverMidnight + ahead + 60_000]);

  // Then the server's day has turned: the rest is written at the first try.
  serverNow = () => serverMidnight + 60_000;
  api.newDay();
  wake();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  expect(wakeUps).toHaveLength(1);
});

it('waits for the reset and sends the batch again when the server answers 503 daily_limit_reached', async () => {
  const { wakeUps, wake } = await openWithClock();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const resumesAt = '2030-01-16T00:00:00.000Z';
  api.failNext('POST', 503, { code: 'daily_limit_reached', message: 'Paused', resumesAt }, /import$/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 2 batches/ })).toBeVisible();
  expect(wakeUps).toEqual([Date.parse(resumesAt) + 60_000]);

  wake();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(tab().getByRole('alert').elements()).toEqual([]);
});

it('says the import is paused in Khmer, with the time it goes on, and offers to forget the paused file', async () => {
  api.writeBudget = 0;
  api.queueAllowance = 0;
  const element = await openImportInKhmer();
  element.wait = () => new Promise<void>(() => {});
  await choose('one <feed/>');
  await expect.element(page.getByRole('button', { name: 'នាំចូល', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'នាំចូល', exact: true }).click();
  const paused = page.getByRole('status').filter({ hasText: /^បានផ្អាកក្រោយបាច់ទី \S+ នៃ \S+ .*00:00 UTC/ });
  await expect.element(paused).toBeVisible();
  const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  const time = new Intl.DateTimeFormat('km', { dateStyle: 'long', timeStyle: 'short' }).format(midnight);
  expect(paused.element().textContent).toContain(time);
  await expect
    .element(
      page
        .getByRole('region', { name: 'នាំចូលមតិយោបល់' })
        .getByText('ការនាំចូលមួយកំពុងដំណើរការ៖ អ្នកអាចជ្រើសរើសឯកសារផ្សេងទៀតនៅពេលវាចប់។'),
    )
    .toBeVisible();

  // Its elements gone, the run still holds the lock, as another page of this browser would: no Forget, in Khmer.
  document.body.replaceChildren();
  await mountAdmin();
  await expect
    .element(
      page
        .getByRole('region', { name: 'នាំចូលមតិយោបល់' })
        .getByText(
          'ការនាំចូល blog-05-01-2024.xml កំពុងដំណើរការនៅក្នុងផ្ទាំង ឬបង្អួចផ្សេងទៀតនៃកម្មវិធីរុករកនេះ៖ វានឹងបន្តដោយខ្លួនឯងនៅទីនោះក្រោយការកំណត់ឡើងវិញប្រចាំថ្ងៃ ប្រសិនបើទំព័រនោះនៅតែបើក។ កំណត់ចំណាំនេះត្រូវបានរក្សាទុករហូតដល់ការនាំចូលនោះចប់។',
        ),
    )
    .toBeVisible();
  expect(page.getByRole('button', { name: 'បំភ្លេចឯកសារនេះ' }).query()).toBeNull();

  // That run is gone (the page closed): the note of the paused file, which the owner can forget, in Khmer.
  await releaseImportLocks();
  await expect
    .element(
      page.getByRole('region', { name: 'នាំចូលមតិយោបល់' }).getByText(/^ការនាំចូល blog-05-01-2024\.xml បានផ្អាកពាក់កណ្ដាលទី/),
    )
    .toBeVisible();
  await page.getByRole('button', { name: 'បំភ្លេចឯកសារនេះ' }).click();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText: 'កម្មវិធីរុករកនេះលែងចងចាំ blog-05-01-2024.xml ទៀតហើយ។ អ្វីដែលបាននាំចូលរួចហើយនៅតែមាននៅលើម៉ាស៊ីនមេ។',
      }),
    )
    .toBeInTheDocument();
});

it('says it was the day’s KV list operations that ran out when the server says so', async () => {
  api.writeBudget = 10;
  api.queuedFor = 'lists';
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/^New on the server: \d/)).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .element(
      tab().getByText(
        /Posts waiting for the next day’s free plan list operations \(today’s are used up\): 15\. The server writes them at .*\d/,
      ),
    )
    .toBeVisible();
  await expect
    .element(
      tab().getByText(
        /Waiting on the server: 15 posts, 45 comments\. Today’s free plan KV list operations are used up, so the cron writes them after 00:00 UTC, at .*\d/,
      ),
    )
    .toBeVisible();
  expect(
    tab()
      .getByText(/free plan writes|KV writes/)
      .elements(),
  ).toEqual([]);
});

it('says a previous import waits only for the next cron run when today’s budget has room', async () => {
  api.queued = { threads: 3, comments: 7 };
  api.roomToday = true;
  await openImport();
  await expect
    .element(tab().getByText(/Waiting on the server: 3 posts, 7 comments\. The next cron run writes them, at .*\d/))
    .toBeVisible();
  expect(
    tab()
      .getByText(/used up/)
      .elements(),
  ).toEqual([]);
});

it('counts one comment on one post in the singular, and in Khmer as Khmer counts', async () => {
  await openImport();
  await choose('one <feed/>');
  await expect.element(tab().getByText('1 comment in 1 post:')).toBeVisible();
  await expect
    .element(tab().getByText('New on the server: 1 comment. Posts already imported in full: 0.'))
    .toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 1 (1 comment added).')).toBeVisible();

  cleanUp();
  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#import';
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'នាំចូលមតិយោបល់' })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('one <feed/>');
  await expect
    .element(page.getByRole('region', { name: 'នាំចូលមតិយោបល់' }).getByText(/^មតិយោបល់ \S+ ក្នុងអត្ថបទ \S+៖$/))
    .toBeVisible();
});

it('translates a file the parser cannot read, in English and Khmer', async () => {
  await openImport();
  await choose('broken <feed');
  await expect
    .element(page.getByRole('alert'))
    .toMatchTextContent('The file is not valid XML: it may be cut short. Download the export again.');
  expect(importRequests(true)).toEqual([]);
  cleanUp();

  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#import';
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'នាំចូលមតិយោបល់' })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('broken <feed');
  await expect.element(page.getByRole('alert')).toMatchTextContent(/មិនមែនជា XML ត្រឹមត្រូវទេ/);
});

it('reads a dropped Blogger backup with the real parser, loaded on first use', async () => {
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'Import comments', level: 2 })).toBeVisible();
  const drop = deepQuery('.drop')!;
  const files = new DataTransfer();
  files.items.add(new File([backup], 'blog-11-30-2026.xml', { type: 'text/xml' }));
  drop.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
  await expect.element(tab().getByText('Format: Blogger backup.')).toBeVisible();
  await expect.element(tab().getByText('7 comments in 3 posts:')).toBeVisible();
  await expect.element(tab().getByText('Deleted or removed: 2')).toBeVisible();
  const table = page.getByRole('table', { name: 'Posts the comments land on' });
  await expect
    .element(table.getByRole('cell', { name: 'https://mekong-notes.blogspot.com/2026/11/central-market', exact: true }))
    .toBeVisible();
  await expect.element(tab().getByText(/New on the server: 7 comments/)).toBeVisible();
});

it('sends a batch again when the lost connection is back, waiting while the browser is offline, and leaves nothing out', async () => {
  const element = await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  // The Wi-Fi drops as the second batch goes: the browser says it is offline, and every request fails until it is back.
  let offline = false;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => !offline);
  loseImportRequests((sent) => (offline ||= sent === 2));
  const { waits, end: aMinuteLater } = holdWaits(element);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const line = page
    .getByRole('status')
    .filter({ hasText: /^Connection lost: sending batch 2 of 2 again when it is back…$/ });
  await expect.element(line).toBeVisible();
  // Offline for longer than a run online would try: it tries once a minute, and does not give up.
  const tries = IMPORT_RECONNECT_WAITS_MS.length + 1;
  for (let tried = 1; tried <= tries; tried++) {
    await expect.poll(() => waits.length).toBe(tried);
    aMinuteLater();
  }
  await expect.poll(() => waits.length).toBe(tries + 1);
  await expect.element(line).toBeVisible();
  expect(page.getByRole('heading', { name: 'Import report' }).query()).toBeNull();
  expect(waits.every((wait) => wait > 50_000 && wait <= 60_000)).toBe(true);

  // Back online: the batch goes at once, without waiting out the minute, and so does the rest of the file. The report
  // comes with its heading focused once what waits on the server is read (held here): before, it showed first and took
  // the focus only then, from an owner who had begun reading it.
  let statusAsked = false;
  const releaseStatus = holdRequests((input, init) => {
    const status = (init?.method ?? 'GET') === 'GET' && String(input).includes('/sites/demo/import');
    statusAsked ||= status;
    return status;
  });
  offline = false;
  window.dispatchEvent(new Event('online'));
  await expect.poll(() => statusAsked).toBe(true);
  expect(page.getByRole('heading', { name: 'Import report' }).query()).toBeNull();
  releaseStatus();
  await expectFocus(page.getByRole('heading', { name: 'Import report' }));
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(page.getByRole('alert').query()).toBeNull();
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);
  expect(waits).toHaveLength(tries + 1);
});

it('stops when the server stays out of reach for about five minutes online, and a second run finishes without doubling anything', async () => {
  const element = await openImport();
  await choose('many <feed/>');
  await expect.element(tab().getByText('360 comments in 120 posts:')).toBeVisible();
  await expect.element(tab().getByText(/New on the server: 360 comments/)).toBeVisible();
  expect(importRequests(true).map((request) => request.threads.length)).toEqual([16, 16, 16, 16, 16, 16, 16, 8]);
  // From the second batch of the run on, no request reaches the server, though the browser says it is online (a
  // captive portal, a DNS failure).
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  let reachable = false;
  loseImportRequests((sent) => sent >= 2 && !reachable);
  const waits: number[] = [];
  element.wait = async (time) => void waits.push(time - Date.now());
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expectFocus(page.getByRole('heading', { name: 'Import report' }));
  await expect
    .element(page.getByRole('alert'))
    .toMatchTextContent(/^Stopped at batch 2 of 8: Could not reach the server\..*Batches before it are saved\./);
  await expect.element(tab().getByText('Posts with new comments: 16 (48 comments added).')).toBeVisible();
  // Sent again 7 times, soon at first, then a minute apart at most: about four minutes of waits in all.
  expect(waits).toHaveLength(7);
  expect(waits[0]).toBeLessThanOrEqual(5_000);
  expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
  const total = waits.reduce((sum, wait) => sum + wait, 0);
  expect(total).toBeGreaterThan(240_000);
  expect(total).toBeLessThanOrEqual(300_000);

  reachable = true;
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 104 (312 comments added).')).toBeVisible();
  await expect.element(tab().getByText('Posts already imported, nothing added: 16.')).toBeVisible();
  expect(page.getByRole('alert').query()).toBeNull();
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(360);
  // What reached the server: the first run's first batch (it stopped at the lost one), then all eight again.
  expect(importRequests(false).map((request) => request.threads.length)).toEqual([16, 16, 16, 16, 16, 16, 16, 16, 8]);
});

it('takes a request that never answers for a lost connection after its deadline, sends the batch again and leaves nothing out', async () => {
  const element = await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  // The browser's clock for each request's deadline, in the test's hands: no real minute and a half goes by.
  const deadlines = holdDeadlines();
  // The run's first request hangs (a Wi-Fi change left its connection half open); the next ones are answered.
  loseImportRequests((sent) => sent === 1, { hang: true });
  const { waits, end: sendAgain } = holdWaits(element);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => deadlines.length).toBe(1);
  // Generous for 1 MiB up a slow link and a Worker that takes its time, yet well short of the browser's own minutes.
  expect(deadlines[0]!.ms).toBeGreaterThanOrEqual(60_000);
  expect(deadlines[0]!.ms).toBeLessThanOrEqual(120_000);
  deadlines[0]!.timeUp();
  await expect
    .element(
      page.getByRole('status').filter({ hasText: /^Connection lost: sending batch 1 of 2 again when it is back…$/ }),
    )
    .toBeVisible();
  expect(waits).toHaveLength(1);
  expect(waits[0]).toBeLessThanOrEqual(5_000);
  sendAgain();
  await expectFocus(page.getByRole('heading', { name: 'Import report' }));
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(page.getByRole('alert').query()).toBeNull();
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);
  // Every request of the run had its own deadline: the hung one, the same batch again, the second batch (beside them,
  // the shorter ones of the waiting line and the preview's check, read again after the run).
  expect(deadlines.filter((deadline) => deadline.ms === deadlines[0]!.ms)).toHaveLength(3);
});

it.each([
  { lost: 'the connection dropped on the way back', how: 'dropped' as const },
  { lost: 'none came within the request’s deadline', how: 'hung' as const },
])(
  'counts as imported by this run what a batch whose answer was lost had written ($lost), and still as already there what an earlier import had',
  async ({ how }) => {
    const deadlines = holdDeadlines();
    const element = await openImport();
    element.wait = async () => {};
    await choose('<feed/>');
    await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
    // The first batch's answer is lost after the server wrote it.
    loseImportAnswers((sent) => sent === 1, how);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    if (how === 'hung') {
      await expect.poll(() => deadlines.filter((deadline) => deadline.ms === 90_000).length).toBe(1);
      deadlines.find((deadline) => deadline.ms === 90_000)!.timeUp();
    }
    await expectFocus(page.getByRole('heading', { name: 'Import report' }));
    // Before, its 16 posts came back "already there" when sent again: 9 posts with 27 comments, 16 already imported.
    await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
    expect(
      tab()
        .getByText(/Posts already imported, nothing added/)
        .query(),
    ).toBeNull();
    const sent = importRequests(false);
    expect(sent.map((request) => request.threads.length)).toEqual([16, 16, 9]);
    expect(new Set(sent.map((request) => request.run)).size).toBe(1);

    // The same file imported again, the same answer lost: nothing of it is this run's, and the report says so.
    loseImportAnswers((sent) => sent === 1, 'dropped');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.element(tab().getByText('Nothing was added: everything in this file is already here.')).toBeVisible();
    expect(new Set(importRequests(false).map((request) => request.run)).size).toBe(2);
    expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);
  },
);

it('does not count a big post as already imported when its part sent again after a lost answer is all the run got to', async () => {
  const element = await openImport();
  element.wait = async () => {};
  await choose('big <feed/>');
  await expect.element(tab().getByText(/New on the server: 2,076 comments/)).toBeVisible();
  // The big post's first part (the run's third request) is staged, its answer lost; sent again, it is "unchanged".
  loseImportAnswers((sent) => sent === 3, 'dropped');
  // Its last part is refused: the run stops before the post is published.
  const fakeFetch = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const threads = importRequest(input, init) ? (JSON.parse(String(init!.body)) as ImportRequest).threads : [];
    if (!threads.some((thread) => thread.part && thread.part.index === thread.part.count - 1))
      return fakeFetch(input, init);
    const error = { code: 'invalid_field', message: 'Part 3 of this post is not here.', field: 'threads[0].part' };
    return new Response(JSON.stringify({ error }), { status: 400, headers: { 'Content-Type': 'application/json' } });
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .element(page.getByRole('alert'), { timeout: 15_000 })
    .toMatchTextContent(/^The server refused batch 43 of 43: Part 3 of this post is not here\./);
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  // Before, the part's "unchanged" counted the post, never shown, as already imported.
  expect(
    tab()
      .getByText(/Posts already imported, nothing added/)
      .query(),
  ).toBeNull();
});

it('sends again, as after a lost connection, a batch whose 200 answer is cut short, and never names its posts "Not imported"', async () => {
  const element = await openImport();
  const { waits, end: sendAgain } = holdWaits(element);
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  // The first batch's answer is cut mid-body twice (the server wrote it the first time), then comes whole.
  loseImportAnswers((sent) => sent <= 2, 'cut');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const line = page
    .getByRole('status')
    .filter({ hasText: /^Connection lost: sending batch 1 of 2 again when it is back…$/ });
  await expect.element(line).toBeVisible();
  sendAgain();
  await expect.poll(() => waits.length).toBe(2);
  await expect.element(line).toBeVisible();
  sendAgain();
  await expectFocus(page.getByRole('heading', { name: 'Import report' }));
  // Before, a cut answer was the server failing: sent once more, then its 16 posts named "Not imported", though in.
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  expect(page.getByRole('alert').query()).toBeNull();
  expect(importRequests(false).map((request) => request.threads.length)).toEqual([16, 16, 16, 9]);
});

it('says when the preview’s server check gets no answer, offers to check again, and still imports', async () => {
  const deadlines = holdDeadlines();
  await openImport();
  // The check's first request hangs; the ones after it are answered.
  let hung = 0;
  hangRequests((input) => dryRunRequest(input) && ++hung === 1);
  await choose('<feed/>');
  await expect.element(tab().getByText('Checking what is already on the server…')).toBeVisible();
  const check = deadlines.at(-1)!;
  expect(check.ms).toBeLessThanOrEqual(30_000);
  check.timeUp();
  await expect
    .element(
      tab().getByText(
        /The server did not answer the check of what is already there \(no answer in 30 seconds, or the connection was lost\)\. Importing is still safe/,
      ),
    )
    .toBeVisible();
  await expect.element(tab()).toHaveAttribute('aria-busy', 'false');
  await expect.element(page.getByRole('button', { name: 'Import', exact: true })).not.toHaveAttribute('aria-disabled');

  await page.getByRole('button', { name: 'Check again' }).click();
  const summary = tab().getByText('New on the server: 75 comments. Posts already imported in full: 0.');
  await expect.element(summary).toBeVisible();
  await expectFocus(summary);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
});

it('says in Khmer when what waits on the server got no answer, and reads it again when asked', async () => {
  api.queued = { threads: 5, comments: 15 };
  const deadlines = holdDeadlines();
  let hung = 0;
  hangRequests(
    (input, init) => (init?.method ?? 'GET') === 'GET' && String(input).includes('/sites/demo/import') && ++hung === 1,
  );
  await openImportInKhmer();
  await expect.poll(() => deadlines.length).toBeGreaterThan(0);
  // A few seconds, not the preview check's 30: "Loading…" gave the owner nothing to act on until then.
  expect(deadlines[0]!.ms).toBeLessThanOrEqual(5_000);
  deadlines[0]!.timeUp();
  const unknown = page.getByText(/មិនដឹងថាអ្វីកំពុងរង់ចាំ cron នៅលើម៉ាស៊ីនមេទេ៖ ម៉ាស៊ីនមេមិនបានឆ្លើយ/);
  await expect.element(unknown).toBeVisible();
  // Said politely (the notes' live region), with what the owner can do: check again, or import all the same.
  await expect.element(page.getByRole('status').filter({ hasText: /ការនាំចូលនៅតែមានសុវត្ថិភាព/ })).toBeVisible();
  expect(deepQuery<HTMLInputElement>('#import-file')?.disabled).toBe(false);
  await page.getByRole('button', { name: 'ពិនិត្យម្ដងទៀត' }).click();
  await expect.element(page.getByText(/កំពុងរង់ចាំនៅលើម៉ាស៊ីនមេ៖ .*15/)).toBeVisible();
  expect(unknown.query()).toBeNull();
});

it.each([
  {
    when: 'the server failed a batch',
    line: /^The server failed batch 1 of 2: sending it again in 10 seconds…$/,
    reason: /^Stopped at batch 1 of 2: The server gave an unexpected answer\..*Batches before it are saved\./,
    fail: () =>
      api.failNextWithPage(
        'POST',
        502,
        '<html>Bad gateway</html>',
        /import$/,
        (_body, url) => !url.searchParams.has('dryRun'),
      ),
  },
  {
    when: 'the connection is lost',
    line: /^Connection lost: sending batch 1 of 2 again when it is back…$/,
    reason: /^Stopped at batch 1 of 2: Could not reach the server\..*Batches before it are saved\./,
    fail: () => loseImportRequests(),
  },
])(
  'stops the run when the owner says so while it waits to send a batch again ($when)',
  async ({ line, reason, fail }) => {
    const element = await openImport();
    await choose('<feed/>');
    await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
    fail();
    element.wait = () => new Promise<void>(() => {});
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.element(page.getByRole('status').filter({ hasText: line })).toBeVisible();
    const sentBefore = importRequests(false).length;
    await page.getByRole('button', { name: 'Stop waiting' }).click();
    await expectFocus(page.getByRole('heading', { name: 'Import report' }));
    await expect.element(page.getByRole('alert')).toMatchTextContent(reason);
    expect(page.getByRole('button', { name: 'Stop waiting' }).query()).toBeNull();
    await expect
      .element(page.getByRole('button', { name: 'Import', exact: true }))
      .not.toHaveAttribute('aria-disabled');
    expect(importRequests(false)).toHaveLength(sentBefore);
    expect(api.imported.size).toBe(0);
  },
);

it('says in Khmer that the connection is lost and the batch goes again when it is back', async () => {
  const element = await openImportInKhmer();
  element.wait = () => new Promise<void>(() => {});
  await choose('one <feed/>');
  await expect.element(page.getByRole('button', { name: 'នាំចូល', exact: true })).toBeVisible();
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
  loseImportRequests();
  await page.getByRole('button', { name: 'នាំចូល', exact: true }).click();
  await expect
    .element(
      page.getByRole('status').filter({ hasText: /^ការតភ្ជាប់បានដាច់៖ នឹងផ្ញើបាច់ទី \S+ នៃ \S+ ម្ដងទៀតនៅពេលការតភ្ជាប់មកវិញ…$/ }),
    )
    .toBeVisible();
  await expect.element(page.getByRole('button', { name: 'ឈប់រង់ចាំ' })).toBeVisible();
});

it('sends a post too big for the free plan last; its request failed on Cloudflare’s error page, sends it once more, then names it and goes on', async () => {
  const tabElement = await openImport();
  await choose('bigger <feed/>');
  await expect
    .element(
      tab().getByText(/Posts of more than 2,000 comments are sent last \(2: The big one \(2,001\), The bigger one/),
    )
    .toBeVisible();
  await expect.element(tab().getByText(/New on the server: 4,126 comments/)).toBeVisible();
  // The request that publishes the big post (its last part) is stopped both times, as Cloudflare stops a Worker out of
  // CPU time: a 503 with its own HTML page, not Sala's JSON.
  const cloudflarePage = '<!DOCTYPE html><title>Worker exceeded resource limits | Error 1102</title>';
  const publishesBigOne = (body: unknown, url: URL) =>
    !url.searchParams.has('dryRun') &&
    (body as ImportRequest).threads.some(
      (thread) => thread.pageId.endsWith('/the-big-one') && thread.part?.index === thread.part?.count! - 1,
    );
  api.failNextWithPage('POST', 503, cloudflarePage, /import$/, publishesBigOne);
  api.failNextWithPage('POST', 503, cloudflarePage, /import$/, publishesBigOne);
  // The pause before sending it again: held until the test has seen what the owner is told meanwhile.
  const { waits: pauses, end: resume } = holdWaits(tabElement);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // 85 batches: the 25 small posts in two, then the big one's 41 parts and the bigger one's 42 (50 comments a part,
  // its last comment alone in a last part); the 43rd publishes the big one.
  await expect
    .element(tab().getByText('The server failed batch 43 of 85: sending it again in 10 seconds…'), { timeout: 15_000 })
    .toBeVisible();
  expect(pauses).toHaveLength(1);
  expect(pauses[0]).toBeGreaterThan(9_000);
  expect(pauses[0]).toBeLessThanOrEqual(10_000);
  resume();

  await expect.element(page.getByRole('heading', { name: 'Import report' }), { timeout: 15_000 }).toBeVisible();
  const alert = page.getByRole('alert');
  await expect
    .element(alert)
    .toMatchTextContent(/^Not confirmed: “The big one”\. The server failed its request twice, a few seconds apart: /);
  // The server may have written before it failed (a Worker stopped mid-request keeps what it wrote): said, not denied.
  await expect
    .element(alert)
    .toMatchTextContent(
      /It may have written some of these posts before it failed \(a post shows whole or not at all, never in part\), and the import went on/,
    );
  await expect
    .element(alert)
    .toMatchTextContent(
      /“The big one” has 2,001 comments: on Cloudflare’s Workers Free plan the request that publishes a post this large can run out of its 10 ms of CPU time/,
    );
  expect(alert.element().textContent).not.toMatch(/Stopped at batch/);
  // The run went on: every other post is in, the bigger one too; the big one's last part was tried twice, no more.
  await expect.element(tab().getByText('Posts with new comments: 26 (2,125 comments added).')).toBeVisible();
  expect([...api.imported].map(([pageId, ids]) => [pageId.replace(/.*\//, ''), ids.size])).toEqual([
    ...Array.from({ length: 25 }, (_, index) => [`post-${index}`, 3]),
    ['the-bigger-one', 2050],
  ]);
  const lastParts = importRequests(false).filter((request) => publishesBigOne(request, new URL(location.href)));
  expect(lastParts).toHaveLength(2);
  expect(pauses).toHaveLength(1);
});

it('stops when the server fails two batches in a row, each sent twice: it is the server, not a post', async () => {
  const tabElement = await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const sending = (_body: unknown, url: URL) => !url.searchParams.has('dryRun');
  for (let i = 0; i < 4; i++) api.failNextWithPage('POST', 502, '<html>Bad gateway</html>', /import$/, sending);
  tabElement.wait = async () => {};
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  const alert = page.getByRole('alert');
  await expect.element(alert).toMatchTextContent(/^Not confirmed: “Post 0”, “Post 1”, “Post 2” and 13 more\. /);
  await expect.element(alert).toMatchTextContent(/Stopped at batch 2 of 2: .*Batches before it are saved\./);
  expect(importRequests(false)).toHaveLength(4);
  expect(api.imported.size).toBe(0);
});

it('shows that a file is being read, with its size, until its preview is ready', async () => {
  const tabElement = await openImport();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  tabElement.parse = async (file, options, reading) => {
    await gate;
    return fakeParse(file, options, reading);
  };
  await choose('x'.repeat(2_500_000), 'blog-05-01-2024.xml');
  await expect.element(tab().getByText('Reading blog-05-01-2024.xml (2.5 MB)…')).toBeVisible();
  await expect.element(page.getByRole('progressbar', { name: 'Reading blog-05-01-2024.xml (2.5 MB)…' })).toBeVisible();
  expect(deepQuery('section')!.getAttribute('aria-busy')).toBe('true');
  expect(page.getByRole('table').query()).toBeNull();
  release();
  await expect.element(page.getByRole('table', { name: 'Posts the comments land on' })).toBeVisible();
  expect(page.getByRole('progressbar').query()).toBeNull();
});

it('says how far a file is read, and Cancel stops the reading and leaves the tab as before', async () => {
  const tabElement = await openImport();
  let report: (progress: ReadProgress) => void = () => {};
  let stopped: AbortSignal | undefined;
  tabElement.parse = (_file, _options, { signal, onProgress }) =>
    new Promise<ImportPlan>((_resolve, reject) => {
      report = onProgress;
      stopped = signal;
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  await choose('x'.repeat(2_500_000), 'disqus-all.xml');
  const bar = page.getByRole('progressbar', { name: 'Reading disqus-all.xml (2.5 MB)…' });
  await expect.element(bar).toBeVisible();
  report({ phase: 'reading', done: 1_050_000, total: 2_500_000 });
  await expect.element(tab().getByText('Reading the file… 42%')).toBeVisible();
  await expect.element(bar).toHaveAttribute('value', '42');
  report({ phase: 'building', done: 300, total: 400 });
  await expect.element(tab().getByText('Preparing the comments… 75%')).toBeVisible();

  await page.getByRole('button', { name: 'Cancel reading' }).click();
  await expect.element(bar).not.toBeInTheDocument();
  expect(stopped?.aborted).toBe(true);
  await expectFocus(page.getByLabelText('Export file'));
  await expect
    .element(
      page.getByRole('status').filter({ hasText: 'Reading cancelled. Choose the file again to read it.' }).first(),
    )
    .toBeVisible();
  expect(deepQuery('section')!.getAttribute('aria-busy')).toBe('false');
  expect(page.getByRole('alert').query()).toBeNull();
  expect(page.getByRole('table').query()).toBeNull();

  // The same file chosen again is read again, this time to the end.
  tabElement.parse = fakeParse;
  await choose('<feed/>', 'disqus-all.xml');
  await expect.element(tab().getByText('75 comments in 25 posts:')).toBeVisible();
});

it('asks for the blog’s address when a Takeout file gives only paths, then reads it with that address', async () => {
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'Import comments', level: 2 })).toBeVisible();
  await choose(takeout, 'feed.atom');
  await expect.element(page.getByRole('alert')).toMatchTextContent(/gives the posts’ paths but not the blog’s address/);
  const address = page.getByLabelText('Blog address');
  await expectFocus(address);
  await address.fill('https://mekong-notes.blogspot.com');
  await address.element().dispatchEvent(new Event('change'));
  await expect.element(tab().getByText('Format: Google Takeout (Blogger).')).toBeVisible();
  expect(page.getByRole('alert').query()).toBeNull();
  await expect
    .element(
      page
        .getByRole('table', { name: 'Posts the comments land on' })
        .getByRole('cell', { name: 'https://mekong-notes.blogspot.com/2026/11/water-festival', exact: true }),
    )
    .toBeVisible();
});

it('keeps importing when the owner opens another section, and says how it ended in a toast', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const release = holdRequests(importRequest);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await page.getByRole('link', { name: 'Comments' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import comments' })).not.toBeInTheDocument();
  release();
  await expect
    .element(page.getByRole('status').filter({ hasText: 'Posts with new comments: 25 (75 comments added).' }).first())
    .toBeVisible();
  expect([...api.imported.values()].reduce((sum, ids) => sum + ids.size, 0)).toBe(75);

  // Back on the tab: the run's report, and the preview checked again against what is now on the server.
  await page.getByRole('link', { name: 'Import' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect
    .element(tab().getByText('New on the server: 0 comments. Posts already imported in full: 25.'))
    .toBeVisible();
});

it('drops the server check an Import click overtakes: the run is not shown under a busy "Checking…"', async () => {
  await openImport();
  const releaseCheck = holdRequests(dryRunRequest);
  await choose('<feed/>');
  await expect.element(tab().getByText('Checking what is already on the server…')).toBeVisible();
  const releaseImport = holdRequests(importRequest);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  // Before, the check's answer was dropped but its line stayed, and the section stayed aria-busy (muting the run's
  // live status line for some screen readers) for the whole run, a wait for the reset included.
  await expect.element(tab().getByText('Checking what is already on the server…')).not.toBeInTheDocument();
  await expect.element(tab()).toHaveAttribute('aria-busy', 'false');
  releaseCheck();
  releaseImport();
  await expect.element(tab().getByText('Posts with new comments: 25 (75 comments added).')).toBeVisible();
  await expect
    .element(tab().getByText('New on the server: 0 comments. Posts already imported in full: 25.'))
    .toBeVisible();
});

it('forgets the file and its preview when the owner leaves the tab with no import under way', async () => {
  await openImport();
  const release = holdRequests(dryRunRequest);
  await choose('<feed/>');
  await expect.element(tab().getByText('Checking what is already on the server…')).toBeVisible();
  await page.getByRole('link', { name: 'Comments' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import comments' })).not.toBeInTheDocument();
  release();
  await page.getByRole('link', { name: 'Import' }).click();
  // A fresh tab: the file and its plan were let go (a big export is not held for the page's life).
  await expect.element(page.getByLabelText('Export file')).toBeVisible();
  expect(deepQuery<HTMLInputElement>('#import-file')!.files).toHaveLength(0);
  expect(
    tab()
      .getByText(/New on the server/)
      .query(),
  ).toBeNull();
  expect(page.getByRole('button', { name: 'Import', exact: true }).query()).toBeNull();
});

it('refuses to start while another page of this browser imports the site, and starts once that has ended', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  // Another admin page's run, as the Web Lock it holds.
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText:
          'An import of this site is under way in another tab or window of this browser: import this file when it has ended there.',
      }),
    )
    .toBeVisible();
  expect(importRequests(false)).toHaveLength(0);
  await expect.element(page.getByLabelText('Export file')).not.toBeDisabled();

  // The other page's run ends: the status line says so, and this page still sends nothing until the owner says.
  end();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText:
          'The import of this site in another tab or window of this browser has ended: import this file when you are ready. If today’s write budget for imports is used up, the import waits for the daily reset at 00:00 UTC.',
      }),
    )
    .toBeVisible();
  expect(importRequests(false)).toHaveLength(0);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  expect(importRequests(false)).toHaveLength(2);
});

it('says the reset time, not "now", when another page’s run ended with today’s import writes spent', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByText(/An import of this site is under way in another tab/).first()).toBeVisible();

  // The other page's run queued posts past today's writes (GET /import now says the budget is spent) and ended.
  api.queued = { threads: 4, comments: 9 };
  end();
  const midnight = Math.ceil((Date.now() + 1) / 86_400_000) * 86_400_000;
  const time = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(midnight);
  await expect
    .element(
      page.getByRole('status').filter({
        hasText: `The import of this site in another tab or window of this browser has ended, and today’s write budget for imports is used up: an import of this file now waits for the daily reset, until ${time}.`,
      }),
    )
    .toBeVisible();
  await expect
    .element(tab().getByText(/Waiting on the server: 4 posts, 9 comments\. Today’s free plan KV writes/))
    .toBeVisible();
  expect(page.getByText(/import this file now/).elements()).toEqual([]);
  expect(importRequests(false)).toHaveLength(0);
});

it('says in Khmer that another page’s run ended with today’s import writes spent', async () => {
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'នាំចូលមតិយោបល់' })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('one <feed/>');
  await expect.element(page.getByRole('button', { name: 'នាំចូល', exact: true })).toBeVisible();
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'នាំចូល', exact: true }).click();
  await expect.element(page.getByText(/កំពុងដំណើរការនៅក្នុងផ្ទាំង/).first()).toBeVisible();
  api.queued = { threads: 1, comments: 1 };
  end();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText:
          /បានចប់ហើយ ហើយថវិកាសរសេរសម្រាប់ការនាំចូលថ្ងៃនេះត្រូវបានប្រើអស់៖ ការនាំចូលឯកសារនេះឥឡូវនឹងរង់ចាំការកំណត់ឡើងវិញប្រចាំថ្ងៃ រហូតដល់ .*\d.*។$/,
      }),
    )
    .toBeVisible();
});

it('stops waiting for the other page’s run when the tab is left, asking for the lock no more', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByText(/An import of this site is under way in another tab/).first()).toBeVisible();
  // The tab waits in the queue for the lock.
  await expect.poll(pending).toBe(1);
  await page.getByRole('link', { name: 'Comments' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import comments' })).not.toBeInTheDocument();
  await expect.poll(pending).toBe(0);
  end();
});

it('stops waiting for the other page’s run when another file is chosen', async () => {
  await openImport();
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(pending).toBe(1);
  await choose('one <feed/>');
  await expect.poll(pending).toBe(0);
  await expect.element(page.getByText(/An import of this site is under way in another tab/)).not.toBeInTheDocument();
  end();
});

it('imports as before in a browser without Web Locks', async () => {
  Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
  try {
    await openImport();
    await choose('<feed/>');
    await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
    expect(importRequests(false)).toHaveLength(2);
  } finally {
    // The prototype's getter shows through again.
    delete (navigator as { locks?: LockManager }).locks;
  }
});

it('says in Khmer that another page of this browser imports the site', async () => {
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'នាំចូលមតិយោបល់' })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('one <feed/>');
  await expect.element(page.getByRole('button', { name: 'នាំចូល', exact: true })).toBeVisible();
  const end = await holdImportLock();
  await page.getByRole('button', { name: 'នាំចូល', exact: true }).click();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText: 'ការនាំចូលគេហទំព័រនេះកំពុងដំណើរការនៅក្នុងផ្ទាំង ឬបង្អួចផ្សេងទៀតនៃកម្មវិធីរុករកនេះ៖ សូមនាំចូលឯកសារនេះនៅពេលវាចប់នៅទីនោះ។',
      }),
    )
    .toBeVisible();
  expect(importRequests(false)).toHaveLength(0);
  end();
  await expect
    .element(
      page.getByRole('status').filter({
        hasText:
          'ការនាំចូលគេហទំព័រនេះនៅក្នុងផ្ទាំង ឬបង្អួចផ្សេងទៀតនៃកម្មវិធីរុករកនេះបានចប់ហើយ៖ សូមនាំចូលឯកសារនេះនៅពេលអ្នករួចរាល់។ ប្រសិនបើថវិកាសរសេរសម្រាប់ការនាំចូលថ្ងៃនេះត្រូវបានប្រើអស់ ការនាំចូលនឹងរង់ចាំការកំណត់ឡើងវិញប្រចាំថ្ងៃនៅម៉ោង 00:00 UTC។',
      }),
    )
    .toBeVisible();
  expect(importRequests(false)).toHaveLength(0);
});

it('holds the site’s import lock while the run waits for the reset, and lets it go when the run ends', async () => {
  await pauseOnBudget();
  const free = () => navigator.locks.request('sala:import:demo', { ifAvailable: true }, (lock) => lock !== null);
  expect(await free()).toBe(false);
  await page.getByRole('button', { name: 'Stop waiting' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import report' })).toBeVisible();
  await expect.poll(free).toBe(true);
});

it('says how a run in the background ended in the page’s language of the moment', async () => {
  const admin = await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'Import comments', level: 2 })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('<feed/>');
  await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
  const release = holdRequests(importRequest);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.element(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await page.getByRole('link', { name: 'Comments' }).click();
  await expect.element(page.getByRole('heading', { name: 'Import comments' })).not.toBeInTheDocument();
  // The page turns Khmer while the run goes on unseen.
  admin.setAttribute('lang', 'km');
  admin.requestUpdate();
  await expect.element(page.getByRole('link', { name: 'នាំចូល' })).toBeVisible();
  release();
  await expect
    .element(
      page
        .getByRole('status')
        .filter({ hasText: /^អត្ថបទដែលមានមតិយោបល់ថ្មី៖/ })
        .first(),
    )
    .toBeInTheDocument();
});

it('checks only the first 500 posts of a big file against the server, and says so', async () => {
  const tabElement = await openImport();
  tabElement.parse = () => ({
    ...planFor('', DEFAULT_IMPORT_OPTIONS),
    threads: threads('https://blog.example', 600),
  });
  await choose('<feed/>');
  await expect
    .element(
      tab().getByText(
        'Checked the first 512 of 600 posts, to spare the server’s daily reads. New there: 1,536 comments. Posts already imported in full: 0.',
      ),
    )
    .toBeVisible();
  // Whole requests of 16 posts (48 comments) until 500 posts are named: 32 of them.
  expect(importRequests(true)).toHaveLength(32);
});

it('keeps the posts table’s words whole on a 360 px phone, the page ids broken where they must be', async () => {
  await page.viewport(360, 740);
  try {
    await openImport();
    await choose('<feed/>');
    await expect.element(tab().getByText(/New on the server: 75 comments/)).toBeVisible();
    const table = deepQuery<HTMLTableElement>('table')!;
    // A word the table squeezed onto two lines ("Comm" / "ents") is drawn as two boxes.
    const brokenWords: string[] = [];
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.querySelector('code')) continue;
      const node = [...cell.childNodes].find((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.trim());
      if (!node) continue;
      for (const match of node.textContent!.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) brokenWords.push(match[0]);
      }
    }
    expect(brokenWords).toEqual([]);
    // The page ids still wrap inside their column rather than push the table sideways.
    const scroll = deepQuery<HTMLElement>('.scroll')!;
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth);
  } finally {
    await page.viewport(414, 896);
  }
});

it('says in Japanese how many comments the import added, counted once', async () => {
  document.documentElement.lang = 'ja';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'コメントのインポート', level: 2 })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('<feed/>');
  const region = page.getByRole('region', { name: 'コメントのインポート' });
  await expect.element(region.getByText('25 件の投稿に 75 件のコメント:')).toBeVisible();
  await page.getByRole('button', { name: 'インポート', exact: true }).click();
  await expect.element(region.getByText('新しいコメントが入った投稿: 25（75 件のコメントを追加）。')).toBeVisible();
});

it("announces the file's summary as a sentence of the page's language, ended by its own full stop", async () => {
  document.documentElement.lang = 'ja';
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'コメントのインポート', level: 2 })).toBeVisible();
  deepQuery<SalaAdminImport>('sala-admin-import')!.parse = fakeParse;
  await choose('<feed/>');
  // Shown, the summary leads into the list of statuses (a colon); spoken alone, it is a sentence: 。 in Japanese.
  await expect.element(page.getByRole('status').getByText('25 件の投稿に 75 件のコメント。')).toBeInTheDocument();
});

it('says the page must be reloaded when the part that reads files cannot be fetched (Sala deployed again)', async () => {
  const element = await openImport();
  element.parse = parseWith(() =>
    Promise.reject(new TypeError('Failed to fetch dynamically imported module: /admin/chunks/read-file-3f9a.js')),
  );
  await choose('<feed/>');
  await expect
    .element(tab().getByText(/could not load the part of Sala that reads import files.*Reload the page/))
    .toBeVisible();
  expect(tab().element().textContent).not.toContain('Failed to fetch');
});
