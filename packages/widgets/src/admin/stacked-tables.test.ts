/**
 * The admin's stacked tables (admin.styles.ts's `.stacked`: on a phone each row a block, each cell a line after its
 * column's name) as a phone shows them and as a screen reader is told about them. Safari drops the table semantics of
 * a table laid out as blocks, so each one spells its roles out; and the Import tab's posts, with long Spanish column
 * names and long addresses, stack as the others do instead of scrolling sideways.
 */
import axe from 'axe-core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cleanUp, deepQuery, deepQueryAll, mountAdmin, page } from '../test/admin-render.js';
import { FakeAdminApi, POST } from '../test/fake-admin-api.js';
import type { SalaAdminImport } from './import/import-tab.js';
import type { ImportPlan } from './import/plan.js';

let api: FakeAdminApi;

beforeEach(async () => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  api.bans = [{ id: 'b1', kind: 'name', label: 'Spammer', createdAt: '2026-11-20T00:00:00Z', expiresAt: null }];
  api.closed = [{ pageId: POST, closed: true, closedAt: '2026-11-21T00:00:00Z' }];
  api.deliveries = [
    {
      id: 'd1',
      webhookId: 'hook-1',
      event: 'comment.created',
      commentId: 'c1',
      pageId: POST,
      status: 'delivered',
      attempts: 1,
      httpStatus: 200,
      createdAt: '2026-11-27T10:00:00Z',
      lastAttemptAt: '2026-11-27T10:00:01Z',
    },
  ];
  document.body.style.cssText = 'margin: 0; font: 16px/1.5 system-ui';
  await page.viewport(390, 844);
});

afterEach(async () => {
  cleanUp();
  await page.viewport(1024, 768);
});

/** The role each part of a table has by its tag, which a stacked table must also say in its `role` attribute. */
const ROLES: Record<string, string> = {
  TABLE: 'table',
  THEAD: 'rowgroup',
  TBODY: 'rowgroup',
  TR: 'row',
  TH: 'columnheader',
  TD: 'cell',
};

/** Each part of the stacked tables shown whose `role` attribute does not name its role, as "TAG role=…". */
function missingRoles(): string[] {
  const tables = deepQueryAll('table.stacked');
  expect(tables.length).toBeGreaterThan(0);
  return tables.flatMap((table) =>
    [table, ...table.querySelectorAll('thead, tbody, tr, th, td')]
      .filter((element) => element.getAttribute('role') !== ROLES[element.tagName])
      .map((element) => `${element.tagName} role=${element.getAttribute('role')}`),
  );
}

/** axe's WCAG 2.2 A/AA rules and best practices on the whole page, one line per violation. */
async function audit(): Promise<string[]> {
  const results = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  });
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join('; ')}`,
  );
}

/** Each table region's width beyond its box (0 when it does not scroll sideways). */
const overflow = () => deepQueryAll('.scroll').map((region) => region.scrollWidth - region.clientWidth);

it('spells out the table roles of the bans, closed threads and deliveries stacked on a phone', async () => {
  location.hash = '#bans';
  await mountAdmin();
  await expect.element(page.getByRole('table', { name: 'Bans in force' })).toBeVisible();
  await expect.element(page.getByRole('table', { name: 'Threads closed to new comments' })).toBeVisible();
  // Stacked: each cell a block of its own.
  expect(getComputedStyle(deepQuery('table.stacked td')!).display).toBe('block');
  expect(missingRoles()).toEqual([]);
  await expect.element(page.getByRole('columnheader', { name: 'Who' })).toBeInTheDocument();
  await expect.element(page.getByRole('cell', { name: 'Spammer' })).toBeVisible();
  expect(await audit()).toEqual([]);

  await page.getByRole('link', { name: 'Webhook deliveries' }).click();
  await expect.element(page.getByRole('table', { name: 'Deliveries' })).toBeVisible();
  expect(missingRoles()).toEqual([]);
  expect(await audit()).toEqual([]);
});

it('stacks the Import tab’s posts on a phone in Spanish, each cell after its column’s name, nothing sideways', async () => {
  location.hash = '#import';
  await mountAdmin({ lang: 'es' });
  const importTab = deepQuery<SalaAdminImport>('sala-admin-import')!;
  importTab.parse = (): ImportPlan => ({
    source: 'blogger',
    threads: [0, 1].map((index) => ({
      pageId: `https://myblog.blogspot.com/2024/05/a-rather-long-post-address-number-${index}.html`,
      title: `A morning walk along Sisowath Quay, part ${index}`,
      comments: [
        { sourceId: `${index}`, authorName: 'Dara', createdAt: '2024-05-01T10:00:00Z', body: 'Hi', status: 'approved' },
      ],
    })),
    counts: { approved: 2, pending: 0, spam: 0, rejected: 0 },
    skipped: [],
  });
  await expect.element(page.getByLabelText('Archivo de exportación')).toBeVisible();
  const input = deepQuery<HTMLInputElement>('#import-file')!;
  const files = new DataTransfer();
  files.items.add(new File(['<feed/>'], 'blog.xml', { type: 'text/xml' }));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  const table = page.getByRole('table', { name: 'Entradas a las que llegan los comentarios' });
  await expect.element(table).toBeVisible();
  // The server's answer adds the "New on the server" column.
  await expect.element(page.getByRole('columnheader', { name: 'Nuevos en el servidor' })).toBeInTheDocument();

  const row = (table.element() as HTMLTableElement).tBodies[0]!.rows[0]!;
  const lines = [...row.cells].map((cell) => (cell.innerText ?? '').replace(/\s+/g, ' ').trim());
  expect(lines).toEqual([
    'Entrada: A morning walk along Sisowath Quay, part 0',
    'Id de página: https://myblog.blogspot.com/2024/05/a-rather-long-post-address-number-0.html',
    'Comentarios: 1',
    'Nuevos en el servidor: 1',
  ]);
  // One line under another, each starting at the row's start.
  const lefts = [...row.cells].map((cell) => Math.round(cell.getBoundingClientRect().left));
  expect(new Set(lefts).size).toBe(1);
  expect(overflow()).toEqual([0]);
  expect(missingRoles()).toEqual([]);
  expect(await audit()).toEqual([]);
});
