import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { cleanUp, mountAdmin, page } from '../test/admin-render.js';
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

  await page.getByLabelText('Period').selectOptions('All time');
  await vi.waitFor(() => expect(titles()).toEqual(['Post a', 'Post b']));
  await page.getByRole('button', { name: 'Comments', exact: true }).click();
  await vi.waitFor(() => expect(titles()).toEqual(['Post a', 'Post b']));
  await page.getByLabelText('Period').selectOptions('Last 24 hours');
  await vi.waitFor(() => expect(titles()).toEqual(['Post b', 'Post a']));
  await expect.element(page.getByRole('row').nth(1)).toHaveTextContent('Post b 5 3');
});
