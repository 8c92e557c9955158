import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { ExportComment, ExportDocument, ExportPage } from '@sala/protocol';
import { cleanUp, mountAdmin, page } from '../test/admin-render.js';
import { defaultSettings, FakeAdminApi, POST, POST_URL } from '../test/fake-admin-api.js';

let api: FakeAdminApi;
/** What the page handed the browser to save: the link's file name and the file's text. */
let downloads: { file: string; text: Promise<string> }[];

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#settings';
  downloads = [];
  // The file's contents are the Blob behind the link's URL; clicking the link would leave the test page.
  const blobs = new Map<string, Blob>();
  const createObjectURL = URL.createObjectURL.bind(URL);
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
    const url = createObjectURL(blob);
    if (blob instanceof Blob) blobs.set(url, blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (this.download && blob) downloads.push({ file: this.download, text: blob.text() });
  });
});

afterEach(() => {
  cleanUp();
  vi.restoreAllMocks();
  document.documentElement.removeAttribute('lang');
});

function comment(id: string, fields: Partial<ExportComment> = {}): ExportComment {
  return {
    id,
    parentId: null,
    author: { name: `Reader ${id}`, email: `${id}@example.com` },
    body: `Comment ${id}`,
    createdAt: '2026-11-20T10:00:00.000Z',
    status: 'approved',
    ...fields,
  };
}

function pages(): ExportPage[] {
  const head = {
    name: 'Mekong Notes',
    settings: { ...defaultSettings(), turnstile: null, akismet: null, webhooks: [], notifyEmail: null },
    bans: [],
    ipBansLeftOut: 0,
  };
  return [
    {
      version: 1,
      site: 'demo',
      head,
      threads: [{ pageId: POST, comments: [comment('a'), comment('b')] }],
      nextCursor: null,
    },
    {
      version: 1,
      site: 'demo',
      threads: [
        { pageId: POST, pageUrl: POST_URL, comments: [comment('c', { parentId: 'a', status: 'spam' })] },
        { pageId: `${POST}-2`, closed: true, comments: [comment('d', { status: 'pending' })] },
      ],
      nextCursor: null,
    },
  ];
}

it('fetches every page of the export with progress and saves one file named after the site and the date', async () => {
  api.exportPages = pages();
  // The second page waits until the test has seen the progress of the first.
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fakeFetch = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).includes('cursor=1')) await gate;
    return fakeFetch(input, init);
  });
  await mountAdmin();
  const button = page.getByRole('button', { name: 'Export all comments' });
  await expect.element(page.getByRole('heading', { name: 'Your data', level: 2 })).toBeVisible();
  await expect.element(button).toHaveAccessibleDescription(/email addresses: keep it private/);
  await button.click();
  const status = page.getByRole('region', { name: 'Your data' }).getByRole('status');
  await expect.element(status).toMatchTextContent('Comments fetched so far: 2 (request 1)…');
  await expect.element(page.getByRole('progressbar', { name: 'Exporting…' })).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Exporting…' })).toHaveAttribute('aria-disabled', 'true');
  release();

  await expect
    .element(page.getByRole('region', { name: 'Your data' }).getByRole('status'))
    .toMatchTextContent(/Saved sala-export-demo-\d{4}-\d{2}-\d{2}\.json\. Comments: 4; threads: 2\./);
  expect(api.requestsTo('GET', '/sites/demo/export').map((request) => request.url.searchParams.get('cursor'))).toEqual([
    null,
    '1',
  ]);
  expect(downloads).toHaveLength(1);
  expect(downloads[0]!.file).toBe(`sala-export-demo-${new Date().toISOString().slice(0, 10)}.json`);
  const saved = JSON.parse(await downloads[0]!.text) as ExportDocument;
  expect(saved.version).toBe(1);
  expect(saved.sites[0]!.settings.ownerName).toBe('Sophea');
  expect(saved.sites[0]!.threads).toEqual([
    {
      pageId: POST,
      pageUrl: POST_URL,
      comments: [comment('a'), comment('b'), comment('c', { parentId: 'a', status: 'spam' })],
    },
    { pageId: `${POST}-2`, closed: true, comments: [comment('d', { status: 'pending' })] },
  ]);
});

it('says why an export failed and saves nothing', async () => {
  api.exportPages = pages();
  api.failNext(
    'GET',
    503,
    { code: 'daily_limit_reached', message: 'Paused', resumesAt: '2030-01-16T00:00:00.000Z' },
    /export/,
  );
  await mountAdmin();
  await page.getByRole('button', { name: 'Export all comments' }).click();
  await expect.element(page.getByRole('alert')).toMatchTextContent(/paused until/);
  expect(downloads).toEqual([]);
});

it('shows the site’s comment feed and speaks Khmer on a Khmer page', async () => {
  document.documentElement.lang = 'km';
  await mountAdmin();
  await expect.element(page.getByRole('button', { name: 'នាំចេញមតិយោបល់ទាំងអស់' })).toBeVisible();
  await expect
    .element(page.getByRole('link', { name: 'បើក feed' }))
    .toHaveAttribute('href', `${location.origin}/api/v1/feeds/demo/comments.atom`);
});
