import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { cleanUp, deepQuery, deepQueryAll, expectFocus, mountAdmin, page } from '../test/admin-render.js';
import { FakeAdminApi, POST, POST_URL } from '../test/fake-admin-api.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
});

afterEach(cleanUp);

it('lists bans and closed threads, and lifts or reopens them', async () => {
  api.bans = [
    {
      id: 'b1',
      kind: 'email',
      label: 'spam@example.com',
      reason: 'casino links',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: null,
    },
  ];
  api.closed = [{ pageId: POST, closed: true, closedAt: '2026-11-21T00:00:00Z' }];
  location.hash = '#bans';
  await mountAdmin();
  await expect.element(page.getByRole('cell', { name: 'casino links' })).toBeVisible();
  await expect.element(page.getByRole('cell', { name: 'until lifted' })).toBeVisible();
  await page.getByRole('button', { name: 'Lift the ban on spam@example.com' }).click();
  await expect.element(page.getByText('Nobody is banned.')).toBeVisible();
  expect(api.requestsTo('DELETE', '/sites/demo/bans/b1')).toHaveLength(1);

  await page.getByRole('button', { name: `Reopen comments on ${POST}` }).click();
  await expect.element(page.getByText('Every thread is open.')).toBeVisible();
  expect(api.requestsTo('PUT', '/sites/demo/threads')[0]!.body).toEqual({ page: POST, closed: false });
});

it('links a closed thread’s post where the blog serves it, and undoing a reopen keeps that address', async () => {
  api.closed = [
    { pageId: POST, pageUrl: POST_URL, closed: true, closedAt: '2026-11-21T00:00:00Z' },
    { pageId: 'post-42', closed: true, closedAt: '2026-11-22T00:00:00Z' },
    // Closed before the Worker kept the date.
    { pageId: 'post-43', closed: true },
  ];
  location.hash = '#bans';
  await mountAdmin();
  await expect.element(page.getByRole('cell').getByRole('link', { name: POST_URL })).toHaveAttribute('href', POST_URL);
  // An id that is no web address stays text.
  await expect.element(page.getByRole('cell', { name: 'post-42', exact: true })).toBeVisible();
  // On a phone each cell is a line after its column's name, and a thread without a date shows no empty line for it.
  await page.viewport(320, 640);
  try {
    expect(shownCells('post-42')).toEqual([
      'Post: post-42',
      expect.stringMatching(/^Closed: November 2[12], 2026/),
      'Reopen',
    ]);
    expect(shownCells('post-43')).toEqual(['Post: post-43', 'Reopen']);
  } finally {
    await page.viewport(1024, 768);
  }

  await page.getByRole('button', { name: `Reopen comments on ${POST}` }).click();
  // The post named in a <bdi>, as every toast names things, and no isolate marks for a screen reader to read out.
  const toast = deepQuery('.toast [role="status"]')!;
  await expect.poll(() => toast.textContent).toBe(`Comments reopened on ${POST}.`);
  expect(toast.querySelector('bdi')?.textContent).toBe(POST);
  await page.getByRole('button', { name: 'Undo' }).click();
  await vi.waitFor(() => expect(api.closed.map((thread) => thread.pageUrl)).toContain(POST_URL));
  expect(api.requestsTo('PUT', '/sites/demo/threads')[1]!.body).toEqual({
    page: POST,
    closed: true,
    pageUrl: POST_URL,
  });

  // Reopened again, and closing it again fails: the toast says so, and the focus gone with the Undo button goes to the
  // closed threads' heading, not to nothing.
  await page.getByRole('button', { name: `Reopen comments on ${POST}` }).click();
  await expect.poll(() => toast.textContent).toBe(`Comments reopened on ${POST}.`);
  api.failNext('PUT', 503, { code: 'internal', message: 'KV is down' });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => toast.textContent).toBe('Something went wrong on the server. Try again later.');
  await expectFocus(page.getByRole('heading', { name: 'Closed threads' }));
  expect(api.closed.map((thread) => thread.pageId)).toEqual(['post-42', 'post-43']);

  // Each language puts its own punctuation after a column's name: Japanese its full-width colon.
  cleanUp();
  api.install();
  location.hash = '#bans';
  await mountAdmin({ lang: 'ja' });
  await expect.element(page.getByRole('cell', { name: 'post-42', exact: true })).toBeVisible();
  await page.viewport(320, 640);
  try {
    expect(shownCells('post-42')[0]).toBe('投稿：post-42');
  } finally {
    await page.viewport(1024, 768);
  }
});

/** What a closed thread's row shows, cell by cell, leaving out the cells not shown (innerText is what is drawn). */
const shownCells = (pageId: string) => shownCellsOf(deepQueryAll('#closed-caption ~ tbody tr'), pageId);

/** What the row among `rows` holding `text` shows, cell by cell, leaving out the cells not shown. */
function shownCellsOf(rows: Element[], text: string): string[] {
  const row = rows.find((tr) => tr.textContent?.includes(text));
  return [...row!.querySelectorAll('td')].filter((td) => td.checkVisibility()).map((td) => td.innerText.trim());
}

it('shows the last webhook deliveries and how each went', async () => {
  api.deliveries = [
    {
      id: 'd1',
      webhookId: 'hook-1',
      event: 'comment.held',
      commentId: 'c1',
      pageId: POST,
      status: 'failed',
      attempts: 3,
      httpStatus: 500,
      error: 'Internal Server Error',
      createdAt: '2026-11-27T10:00:00Z',
      lastAttemptAt: '2026-11-27T10:05:00Z',
    },
    // No answer and no error recorded (none today: a delivery is listed once tried, with one or the other).
    {
      id: 'd2',
      webhookId: 'hook-2',
      event: 'comment.held',
      commentId: 'c2',
      pageId: POST,
      status: 'retrying',
      attempts: 1,
      createdAt: '2026-11-27T10:00:00Z',
      lastAttemptAt: '2026-11-27T10:00:00Z',
    },
  ];
  location.hash = '#deliveries';
  await mountAdmin();
  // The row as a screen reader reads it (on a phone its cells also show their column's name, hidden from it).
  await expect
    .element(page.getByRole('row', { name: /Held hook-1 .* Failed 3 500 · Internal Server Error$/ }))
    .toBeVisible();
  // On a phone each cell is a line after its column's name, and one with nothing to say shows no line at all.
  await page.viewport(320, 640);
  try {
    const cells = (webhookId: string) => shownCellsOf(deepQueryAll('#deliveries-caption ~ tbody tr'), webhookId);
    expect(cells('hook-1').at(-1)).toBe('Answer: 500 · Internal Server Error');
    expect(cells('hook-2')).toEqual([
      expect.stringMatching(/^When: \S/),
      'Event: Held',
      'Webhook: hook-2',
      `Post: ${POST}`,
      'Status: Retrying',
      'Attempts: 1',
    ]);
  } finally {
    await page.viewport(1024, 768);
  }
  api.deliveries = [];
  await page.getByRole('button', { name: 'Refresh' }).click();
  await vi.waitFor(() => expect(page.getByText('Nothing has been sent yet.').query()).not.toBeNull());
});
