import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanUp, deepQuery, expectFocus, focused, mountAdmin, page } from '../test/admin-render.js';
import { adminComment, FakeAdminApi } from '../test/fake-admin-api.js';
import { adminEn } from './strings/en.js';
import { adminKm } from './strings/km.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
});

afterEach(cleanUp);

describe('signing in', () => {
  it('asks for the password, says when it is wrong, and opens the queue once it is right', async () => {
    await mountAdmin();
    const password = page.getByLabelText('Password');
    await expectFocus(password);

    await password.fill('guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByText('That password is not right.')).toBeVisible();
    await expect.element(password).toHaveAttribute('aria-invalid', 'true');
    await expect.element(password).toHaveAccessibleDescription('That password is not right.');

    await password.fill('open sesame');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectFocus(page.getByRole('heading', { name: 'Comments', level: 2 }));
    const signIn = api.requestsTo('POST', '/session').at(-1)!;
    // The session is an HttpOnly cookie the page never sees; the browser sends it only to this origin.
    expect(signIn.credentials).toBe('same-origin');
    expect(signIn.body).toEqual({ password: 'open sesame' });
  });

  it('says when there were too many attempts, or when no password is set on the server', async () => {
    await mountAdmin();
    api.failNext('POST', 429, { code: 'rate_limited', message: 'Too many sign-in attempts' });
    await page.getByLabelText('Password').fill('guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByRole('alert')).toHaveTextContent('Too many attempts. Wait a minute and try again.');

    api.failNext('POST', 401, { code: 'unauthorized', message: 'No ADMIN_PASSWORD is set' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByRole('alert').getByText(/wrangler secret put ADMIN_PASSWORD/)).toBeVisible();
  });

  it('signs out, and sends the owner back to sign-in when the session ends', async () => {
    api.signedIn = true;
    api.comments = [adminComment('c1')];
    await mountAdmin();
    await expect.element(page.getByRole('heading', { name: 'Comments', level: 2 })).toBeVisible();

    api.signedIn = false;
    await page.getByRole('button', { name: /^Approved/ }).click();
    await expect.element(page.getByText('Your session has ended. Sign in again.')).toBeVisible();
    await expectFocus(page.getByLabelText('Password'));

    await page.getByLabelText('Password').fill('open sesame');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.element(page.getByText('You signed out.')).toBeVisible();
    expect(api.requestsTo('DELETE', '/session')).toHaveLength(1);
    expect(api.signedIn).toBe(false);
  });
});

describe('the page', () => {
  it('opens the section the address names, and moves focus to its heading when another is chosen', async () => {
    api.signedIn = true;
    location.hash = '#tokens';
    await mountAdmin();
    await expect.element(page.getByRole('heading', { name: 'API tokens', level: 2 })).toBeVisible();
    await expect.element(page.getByRole('link', { name: 'API tokens' })).toHaveAttribute('aria-current', 'page');

    await page.getByRole('link', { name: 'Settings' }).click();
    await expectFocus(page.getByRole('heading', { name: /^Settings/, level: 2 }));
    expect(location.hash).toBe('#settings');
  });

  it('speaks Khmer when the page is in Khmer, every string translated', async () => {
    api.signedIn = true;
    await mountAdmin({ lang: 'km' });
    await expect.element(page.getByRole('heading', { name: adminKm.queueHeading, level: 2 })).toBeVisible();
    expect(deepQuery('.root')?.getAttribute('lang')).toBe('km');

    const english: Record<string, string> = adminEn;
    expect(Object.keys(adminKm).sort()).toEqual(Object.keys(english).sort());
    // Names and bare placeholders read the same in both languages.
    const same = new Set(['countAtLeast', 'formatSlack', 'formatDiscord', 'colWebhook']);
    expect(Object.entries(adminKm).filter(([key, value]) => value === english[key] && !same.has(key))).toEqual([]);
  });

  it('leaves focus where it was when it re-renders on its own', async () => {
    api.signedIn = true;
    await mountAdmin();
    const search = page.getByLabelText('Search');
    await search.click();
    await expectFocus(search);
    expect(focused()?.id).toBe('q');
  });
});
