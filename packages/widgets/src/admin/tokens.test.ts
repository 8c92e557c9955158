import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { cleanUp, deepQuery, expectFocus, mountAdmin, page } from '../test/admin-render.js';
import { FakeAdminApi } from '../test/fake-admin-api.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  location.hash = '#tokens';
});

afterEach(cleanUp);

it('shows a new token once, with a copy button, and never again', async () => {
  const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
  await mountAdmin();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect
    .element(page.getByLabelText('What is the token for?'))
    .toHaveAccessibleDescription(/Say what the token is for/);

  await page.getByLabelText('What is the token for?').fill('backup script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = page.getByLabelText('New token');
  await expectFocus(token);
  await expect.element(token).toHaveValue('sala_xxxxxxxx1');
  await expect.element(page.getByText('Copy it now: it is shown only this once.')).toBeVisible();
  await page.getByRole('button', { name: 'Copy' }).click();
  expect(writeText).toHaveBeenCalledWith('sala_xxxxxxxx1');
  await expect.element(page.getByText('Copied.')).toBeVisible();

  // Listed by name and first characters only.
  await expect.element(page.getByRole('cell', { name: 'backup script' })).toBeVisible();
  await expect.element(page.getByRole('cell', { name: 'sala_xxxx…' })).toBeVisible();

  await page.getByRole('button', { name: 'Done' }).click();
  expect(deepQuery('#new-token')).toBeNull();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'API tokens' }).click();
  await expect.element(page.getByRole('cell', { name: 'backup script' })).toBeVisible();
  expect(document.body.innerHTML + (deepQuery('sala-admin-tokens')?.shadowRoot?.innerHTML ?? '')).not.toContain(
    'sala_xxxxxxxx1',
  );
});

it('revokes a token only once the owner confirms', async () => {
  api.tokens = [{ id: 't1', name: 'deploy', prefix: 'sala_AbCd', createdAt: '2026-11-01T00:00:00Z' }];
  await mountAdmin();
  const revoke = page.getByRole('button', { name: 'Revoke “deploy”' });
  await revoke.click();
  const dialog = page.getByRole('dialog');
  await expect.element(dialog.getByText(/Scripts using it stop working at once/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expectFocus(revoke);
  expect(api.requestsTo('DELETE', /^\/tokens\//)).toHaveLength(0);

  await revoke.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect.element(page.getByRole('status').getByText('Token “deploy” revoked.')).toBeVisible();
  expect(api.requestsTo('DELETE', '/tokens/t1')).toHaveLength(1);
  await expect.element(page.getByText('No tokens yet.')).toBeVisible();
});

it('sets a right-to-left token name apart from the words around it', async () => {
  // "Backup 2", in Hebrew: a name ending in a number, which the sentence around it must not take along.
  const name = 'גיבוי 2';
  api.tokens = [{ id: 't1', name, prefix: 'sala_AbCd', createdAt: '2026-11-01T00:00:00Z' }];
  await mountAdmin();
  const cell = page.getByRole('cell', { name });
  await expect.element(cell).toBeVisible();
  expect(cell.element().querySelector('bdi')?.textContent).toBe(name);
  // A label only screen readers read is spoken in logical order: the name's words, no isolate marks around them.
  await page.getByRole('button', { name: `Revoke “${name}”` }).click();
  // The question shows the name in a <bdi>, and names the dialog with its words alone.
  const question = `Revoke “${name}”? Scripts using it stop working at once. This cannot be undone.`;
  const dialog = page.getByRole('dialog', { name: question });
  await expect.element(dialog).toBeVisible();
  expect(dialog.element().querySelector('bdi')?.textContent).toBe(name);
});
