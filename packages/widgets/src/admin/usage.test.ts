import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { UsageResponse } from '@sala/protocol';
import { cleanUp, deepQuery, expectFocus, mountAdmin, page, paintedTops } from '../test/admin-render.js';
import { FakeAdminApi } from '../test/fake-admin-api.js';
import { USAGE_WAIT_MS } from './usage.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
});

afterEach(() => {
  cleanUp();
  document.documentElement.removeAttribute('lang');
});

function usage(writes: number, requests = 1_234): UsageResponse {
  return {
    day: '2030-01-15',
    resetsAt: '2030-01-16T00:00:00.000Z',
    requests: { used: requests, limit: 100_000 },
    kvReads: { used: 5_678, limit: 100_000 },
    kvWrites: { used: writes, limit: 1_000 },
    kvDeletes: { used: 3, limit: 1_000 },
    kvLists: { used: 40, limit: 1_000 },
    reports: 6,
    warnAt: 0.8,
  };
}

it('shows today’s estimated use of the free plan above the queue, and how it is counted', async () => {
  api.usage = usage(412);
  await mountAdmin();
  const line = page.getByRole('complementary', { name: 'Free plan today' });
  await expect.element(line).toMatchTextContent(/412 of 1,000 KV writes/);
  await expect.element(line).toMatchTextContent(/1,234 of 100,000 Worker requests/);
  await expect.element(line).toMatchTextContent(/estimated/);
  expect(page.getByRole('alert').query()).toBeNull();
  await page.getByText('How is this counted?').click();
  await expect.element(page.getByText(/lower bound/)).toBeVisible();
  await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();
});

it('shows a late warning with the tab, so nothing the owner may click moves when it comes, and announces it', async () => {
  api.usage = usage(850);
  let answer = () => {};
  const answered = new Promise<void>((done) => (answer = done));
  api.gate = () => (api.requests.at(-1)?.path === '/usage' ? answered : Promise.resolve());
  const heading = () => deepQuery('sala-admin-queue')?.shadowRoot?.querySelector('h2') ?? null;
  const painted = paintedTops(heading);
  const mounted = mountAdmin();
  // The usage answer comes last: after the page knows its sites and tabs, and two frames to draw what it has.
  await vi.waitFor(() => expect(api.requestsTo('GET', '/sites/demo/posts')).toHaveLength(1));
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  answer();
  await mounted;
  const warning = page.getByRole('alert');
  await expect.element(warning).toMatchTextContent(/KV writes are at 85%/);
  await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  painted.stop();
  expect(painted.tops).toHaveLength(1);
  expect(painted.tops[0]).toBeGreaterThan(warning.element().getBoundingClientRect().bottom);
});

it('shows the page when the usage request never answers, saying the figures could not be read, and reads them again', async () => {
  api.usage = usage(412);
  api.gate = () => (api.requests.at(-1)?.path === '/usage' ? new Promise<void>(() => {}) : Promise.resolve());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const mounted = mountAdmin();
    await vi.waitFor(() => expect(api.requestsTo('GET', '/usage')).toHaveLength(1));
    vi.advanceTimersByTime(USAGE_WAIT_MS);
    await mounted;
  } finally {
    vi.useRealTimers();
  }
  const line = page.getByRole('complementary', { name: 'Free plan today' });
  await expect.element(line.getByRole('status')).toHaveTextContent('Today’s figures could not be read.');
  expect(page.getByRole('alert').query()).toBeNull();
  await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();

  api.gate = async () => {};
  await line.getByRole('button', { name: 'Try again' }).click();
  await expect.element(line).toMatchTextContent(/412 of 1,000 KV writes/);
  // Try again went with its line: the figures have the focus.
  await expectFocus(line);
});

it('warns from 80% of a limit, naming it and when comments would resume', async () => {
  api.usage = usage(850, 81_000);
  await mountAdmin();
  const alerts = page.getByRole('alert');
  await expect.element(alerts.first()).toMatchTextContent(/KV writes are at 85% of the free plan’s 1,000 a day/);
  await expect.element(alerts.first()).toMatchTextContent(/pause until .+ \(your time\)/);
  await expect.element(alerts.nth(1)).toMatchTextContent(/Worker requests are at 81%/);
});

it('speaks Khmer on a Khmer page', async () => {
  document.documentElement.lang = 'km';
  api.usage = usage(900);
  await mountAdmin();
  await expect.element(page.getByRole('alert')).toMatchTextContent(/ការសរសេរ KV បានដល់ 90%/);
});

it('writes numbers as the owner’s region does, in English words on an en-IN page', async () => {
  document.documentElement.lang = 'en-IN';
  api.usage = usage(412);
  await mountAdmin();
  const line = page.getByRole('complementary', { name: 'Free plan today' });
  await expect.element(line).toMatchTextContent(/1,234 of 1,00,000 Worker requests/);
});

it('shows nothing when the Worker has no usage route', async () => {
  await mountAdmin();
  await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();
  expect(deepQuery('sala-admin-usage')?.shadowRoot?.querySelector('aside') ?? null).toBeNull();
});
