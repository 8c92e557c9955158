import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { cleanUp, expectFocus, mountAdmin, page } from '../test/admin-render.js';
import { FakeAdminApi } from '../test/fake-admin-api.js';
import type { AdminPostStats } from '@sala/protocol';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
});

afterEach(cleanUp);

function post(slug: string, views: number[], comments: number[]): AdminPostStats {
  const [day = 0, week = 0, month = 0, all = 0] = views;
  const [cDay = 0, cWeek = 0, cMonth = 0, cAll = 0] = comments;
  return {
    pageId: `https://blog.example/${slug}`,
    url: `https://blog.example/${slug}`,
    title: `Post ${slug}`,
    views: { '24h': day, '7d': week, '30d': month, all },
    comments: { '24h': cDay, '7d': cWeek, '30d': cMonth, all: cAll },
  };
}

const titles = () =>
  page
    .getByRole('row')
    .elements()
    .slice(1)
    .map((row) => row.querySelector('a')?.textContent);

it('leaves the tab out when the Worker has no per-post statistics', async () => {
  await mountAdmin();
  await expect.element(page.getByRole('link', { name: 'Comments' })).toBeVisible();
  expect(page.getByRole('link', { name: 'Posts' }).query()).toBeNull();
});

it('lists views and comments per post for the chosen period, sorted by either', async () => {
  api.posts = [post('a', [1, 10, 40, 90], [0, 1, 2, 9]), post('b', [5, 20, 30, 50], [3, 4, 4, 4])];
  location.hash = '#posts';
  await mountAdmin();
  await expect.element(page.getByRole('table', { name: 'Posts · Last 7 days' })).toBeVisible();
  expect(titles()).toEqual(['Post b', 'Post a']);
  await expect.element(page.getByRole('columnheader', { name: 'Views' })).toHaveAttribute('aria-sort', 'descending');
  // Views reach the tab when their hour is folded (:10), the lists every 30 minutes with the open hour's too.
  await expect.element(page.getByText(/up to an hour behind the popular-posts lists/)).toBeVisible();

  await page.getByLabelText('Period').selectOptions('All time');
  await vi.waitFor(() => expect(titles()).toEqual(['Post a', 'Post b']));
  await page.getByRole('button', { name: 'Comments', exact: true }).click();
  await vi.waitFor(() => expect(titles()).toEqual(['Post a', 'Post b']));
  await page.getByLabelText('Period').selectOptions('Last 24 hours');
  await vi.waitFor(() => expect(titles()).toEqual(['Post b', 'Post a']));
  await expect.element(page.getByRole('row').nth(1)).toHaveTextContent('Post b 5 3');
});

it('writes counts as the owner’s language does, in the table and in what it says is shown', async () => {
  api.posts = Array.from({ length: 1_200 }, (_, index) => post(`post-${index}`, [0, 12_345 - index], [0, 1_000]));
  location.hash = '#posts';
  await mountAdmin();
  await expect.element(page.getByRole('row').nth(1)).toHaveTextContent('Post post-0 12,345 1,000');
  await expect.element(page.getByText('Showing 50 of 1,200 posts')).toBeVisible();
});

it('shows the first 50 posts in the order asked for, and the next 50 on request', async () => {
  // 120 posts: post-0 is the most viewed, post-119 the least; comments run the other way.
  api.posts = Array.from({ length: 120 }, (_, index) =>
    post(`post-${index}`, [120 - index, 120 - index, 120 - index, 120 - index], [index, index, index, index]),
  );
  location.hash = '#posts';
  await mountAdmin();
  await expect.element(page.getByRole('table', { name: 'Posts · Last 7 days' })).toBeVisible();
  expect(titles()).toEqual(Array.from({ length: 50 }, (_, index) => `Post post-${index}`));
  await expect.element(page.getByText('Showing 50 of 120 posts')).toBeVisible();
  expect(api.requestsTo('GET', /\/posts$/).at(-1)!.url.search).toBe('?range=7d&by=views&limit=50&offset=0');

  await page.getByRole('button', { name: 'Load more' }).click();
  await vi.waitFor(() => expect(titles()).toHaveLength(100));
  expect(titles().slice(48, 52)).toEqual(['Post post-48', 'Post post-49', 'Post post-50', 'Post post-51']);
  await page.getByRole('button', { name: 'Load more' }).click();
  await vi.waitFor(() => expect(titles()).toHaveLength(120));
  expect(page.getByRole('button', { name: 'Load more' }).query()).toBeNull();
  await expectFocus(page.getByRole('region', { name: 'Posts · Last 7 days' }));

  // Another order starts again from its first page, asked of the Worker.
  await page.getByRole('button', { name: 'Comments', exact: true }).click();
  await vi.waitFor(() => expect(titles()[0]).toBe('Post post-119'));
  expect(titles()).toHaveLength(50);
  expect(api.requestsTo('GET', /\/posts$/).at(-1)!.url.search).toBe('?range=7d&by=comments&limit=50&offset=0');
  await page.getByLabelText('Period').selectOptions('All time');
  await vi.waitFor(() =>
    expect(api.requestsTo('GET', /\/posts$/).at(-1)!.url.search).toBe('?range=all&by=comments&limit=50&offset=0'),
  );
  await expect.element(page.getByText('Showing 50 of 120 posts')).toBeVisible();
});
