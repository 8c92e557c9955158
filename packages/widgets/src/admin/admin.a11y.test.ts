import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Locator } from 'vitest/browser';
import { cleanUp, deepQuery, deepQueryAll, mountAdmin, page } from '../test/admin-render.js';
import { adminComment, FakeAdminApi, POST } from '../test/fake-admin-api.js';
import type { SalaAdmin } from './admin.js';
import type { SalaAdminImport } from './import/import-tab.js';
import type { ImportPlan } from './import/plan.js';

/** The plan a parser makes of a small Blogger backup: 25 posts with long addresses, things left out. */
function importPlan(): ImportPlan {
  const threads = Array.from({ length: 25 }, (_, index) => ({
    pageId: `https://myblog.blogspot.com/2024/05/a-rather-long-post-address-number-${index}`,
    title: `A morning walk along Sisowath Quay, part ${index}`,
    comments: [
      {
        sourceId: `${index}-a`,
        authorName: 'Dara',
        createdAt: '2024-05-01T10:00:00Z',
        body: 'Hi',
        status: 'approved' as const,
      },
    ],
  }));
  return {
    source: 'blogger',
    threads,
    counts: { approved: 25, pending: 0, spam: 0, rejected: 0 },
    skipped: [
      { reason: 'deleted', count: 1, examples: ['tag:blogger.com,1999:blog-1234567890.post-98765432109876543'] },
    ],
  };
}

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.comments = [
    adminComment('c1', {
      heldBecause: [{ code: 'first-time' }],
      spam: { score: 3, reasons: [{ code: 'links', points: 3, count: 3 }] },
      body: '> quoted\n\nSee [my site](https://spam.example) and `code`.',
      author: { name: 'Dara', avatar: 'dara', email: 'dara@example.com', website: 'https://dara.example' },
    }),
    adminComment('c2', { pinned: true, editedAt: new Date().toISOString() }),
    // A second held comment: each one's "Why it was held" must be told apart.
    adminComment('c3', { heldBecause: [{ code: 'hold-word', word: 'casino' }] }),
  ];
  api.tokens = [{ id: 't1', name: 'deploy', prefix: 'sala_AbCd', createdAt: '2026-11-01T00:00:00Z' }];
  api.bans = [
    {
      id: 'b1',
      kind: 'ip',
      label: 'a1b2c3d4e5f6a7b8',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: '2026-12-20T00:00:00Z',
    },
    // Long ones: on a phone each ban's details and its Lift button must fit the screen, wrapped.
    {
      id: 'b2',
      kind: 'email',
      label: 'a.rather.long.address.of.someone@mail.an-example-provider.com',
      reason: 'Casino links in every comment: https://casino.example/a-long-path-to-nowhere',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: null,
    },
    {
      id: 'b3',
      kind: 'name',
      label: 'Bartholomew Montgomery-Featherstonehaugh',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: '2026-12-20T00:00:00Z',
    },
  ];
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
  api.posts = [
    {
      pageId: POST,
      url: POST,
      title: 'A morning walk along Sisowath Quay',
      views: { '24h': 3, '7d': 20, '30d': 41, all: 90 },
      comments: { '24h': 0, '7d': 2, '30d': 5, all: 9 },
    },
    // More than a page of posts: "Load more" and how many are shown are checked too.
    ...Array.from({ length: 59 }, (_, index) => ({
      pageId: `${POST}-${index}`,
      url: `${POST}-${index}`,
      title: `Post ${index}`,
      views: { '24h': 0, '7d': 1, '30d': 1, all: 1 },
      comments: { '24h': 0, '7d': 0, '30d': 0, all: 0 },
    })),
  ];
  // Writes near the free plan's limit: the usage line and its warning are on every screen.
  api.usage = {
    day: '2026-11-27',
    resetsAt: '2026-11-28T00:00:00.000Z',
    requests: { used: 12_000, limit: 100_000 },
    kvReads: { used: 30_000, limit: 100_000 },
    kvWrites: { used: 870, limit: 1_000 },
    kvDeletes: { used: 10, limit: 1_000 },
    kvLists: { used: 200, limit: 1_000 },
    reports: 9,
    warnAt: 0.7,
  };
  // The configuration notice shows above every screen, so each audit covers it too.
  api.problems = [
    { code: 'sites_invalid_json', severity: 'error', setting: 'SITES' },
    {
      code: 'origin_path',
      severity: 'warning',
      setting: 'SITES.myblog.origins[0]',
      value: 'https://myblog.blogspot.com/2024/05/a-very-long-address-copied-from-the-address-bar.html',
      used: 'https://myblog.blogspot.com',
    },
  ];
  // The page around <sala-admin>, as admin/index.html styles it.
  document.documentElement.style.colorScheme = 'light dark';
  document.body.style.cssText = 'margin: 0; background: Canvas; color: CanvasText; font: 16px/1.5 system-ui';
});

afterEach(async () => {
  cleanUp();
  document.documentElement.style.colorScheme = '';
  await page.viewport(1024, 768);
});

/** axe's WCAG 2.2 A/AA rules and best practices. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
/** The rules that read colours: all a theme changes (admin.styles.ts, `.root.dark`: custom properties, no markup). */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** axe's rules (WCAG's and best practices, or only `rules`) on the whole page, one line per violation. */
async function audit(rules?: string[]): Promise<string[]> {
  const results = await axe.run(document, {
    runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: WCAG },
    // Passes list each rule with one node, not every node it checked: 8% of a whole-page audit went to describing them.
    resultTypes: ['violations'],
  });
  // Proof the audit reached into the shadow roots: these rules found controls and text to check there.
  expect(results.passes.map((rule) => rule.id)).toEqual(
    expect.arrayContaining(rules ? ['color-contrast'] : ['color-contrast', 'button-name']),
  );
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
  );
}

/**
 * One screen's audits, on a 1024 px screen and a 390 px phone: every rule in the light theme at both widths, and the
 * colour rules in the dark theme at 1024 px (a theme changes colours only: admin.styles.ts's `.root.dark` sets custom
 * properties, no markup). The width the screen was reached at goes first, then the other, which the next step starts at:
 * one resize a screen. One line per violation, led by where it was found.
 */
async function auditScreen(): Promise<string[]> {
  const admin = document.querySelector<SalaAdmin>('sala-admin')!;
  const found: string[] = [];
  for (const width of window.innerWidth === 1024 ? [1024, 390] : [390, 1024]) {
    if (window.innerWidth !== width) await page.viewport(width, width === 1024 ? 768 : 844);
    found.push(...(await audit()).map((violation) => `${width} px: ${violation}`));
    if (width !== 1024) {
      found.push(...sideways().map((what) => `${width} px: ${what}`));
      continue;
    }
    admin.theme = 'dark';
    await admin.updateComplete;
    found.push(...(await audit(COLOUR_RULES)).map((violation) => `dark: ${violation}`));
    admin.theme = 'light';
    await admin.updateComplete;
  }
  return found;
}

/** What scrolls sideways on the screen: the page, or a table's region (its rows wrap instead). */
function sideways(): string[] {
  const wide = [document.documentElement, ...deepQueryAll('.scroll')].filter(
    (element) => element.scrollWidth > element.clientWidth,
  );
  return wide.map(
    (element) =>
      `${element.getAttribute('aria-labelledby') ?? 'the page'} scrolls sideways (${element.scrollWidth} px)`,
  );
}

/** <sala-admin> in the light theme on a 1024 px screen, on the tab `hash` names (signed in), or signed out. */
async function mountLight(hash?: string): Promise<void> {
  await page.viewport(1024, 768);
  if (hash) {
    api.signedIn = true;
    location.hash = hash;
  }
  await mountAdmin({ theme: 'light' });
}

// Every screen of the admin page in a state with the most on it, audited in turn (auditScreen), in four parts.
describe('accessibility of every screen, light, dark and on a 390 px phone', () => {
  it('passes axe signed out and on the queue, with a toast and the shortcuts', async () => {
    const found: Record<string, string[]> = {};
    await mountLight();
    await page.getByLabelText('Password').fill('guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.element(page.getByText('That password is not right.')).toBeVisible();
    found['sign-in'] = await auditScreen();

    await page.getByLabelText('Password').fill('open sesame');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dara = page.getByRole('article', { name: 'Comment by Dara' });
    await dara.getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByRole('checkbox', { name: 'Select the comment by Dara' }).click();
    found['queue'] = await auditScreen();

    await dara.getByRole('button', { name: 'Reject' }).click();
    const undo = page.getByRole('button', { name: 'Undo' });
    await expect.element(undo).toBeVisible();
    found['queue with a toast'] = await auditScreen();
    // Still there: the audits saw the toast (it goes by itself after 8 s).
    await expect.element(undo).toBeVisible();

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    found['shortcuts'] = await auditScreen();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    expect(found).toEqual({ 'sign-in': [], queue: [], 'queue with a toast': [], shortcuts: [] });
  });

  it('passes axe on the ban dialog, a kept reply and the settings with errors', async () => {
    const found: Record<string, string[]> = {};
    await mountLight('#comments');
    await page.getByRole('button', { name: 'Ban…' }).first().click();
    found['ban'] = await auditScreen();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // The comment replied to went meanwhile: the list reloads and the typed reply stays on screen.
    const c3 = page.getByRole('article', { name: 'Comment by Reader c3' });
    await c3.getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c3').fill('Thanks!');
    api.failNext('POST', 400, { code: 'parent_not_found', message: 'Reply to an approved comment.' }, /\/comments$/);
    await c3.getByRole('button', { name: 'Approve and publish reply' }).click();
    await expect.element(page.getByLabelText('Your unpublished reply to Reader c3')).toBeVisible();
    found['queue with a kept reply'] = await auditScreen();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await page.getByLabelText('More allowed origins, one per line').fill('not an origin');
    await page.getByRole('checkbox', { name: 'Ask risky commenters to pass Cloudflare Turnstile' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.element(page.getByText('Line 1 is not an origin like https://blog.example.com.')).toBeVisible();
    found['settings with errors'] = await auditScreen();

    await page.getByLabelText('More allowed origins, one per line').fill('');
    await page.getByRole('checkbox', { name: 'Ask risky commenters to pass Cloudflare Turnstile' }).click();
    await page.getByRole('button', { name: 'Remove webhook 1' }).click();
    api.settingsVersion += 1; // saved in another tab meanwhile
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.element(page.getByRole('button', { name: 'Save mine over them' })).toBeVisible();
    found['settings saved elsewhere'] = await auditScreen();
    expect(found).toEqual({
      ban: [],
      'queue with a kept reply': [],
      'settings with errors': [],
      'settings saved elsewhere': [],
    });
  });

  it('passes axe on the bans, tokens, deliveries and posts', async () => {
    const found: Record<string, string[]> = {};
    await mountLight('#bans');
    await expect.element(page.getByRole('table', { name: 'Bans in force' })).toBeVisible();
    found['bans'] = await auditScreen();
    // And on a 320 px phone, the narrowest.
    await page.viewport(320, 640);
    found['bans'].push(...sideways().map((what) => `320 px: ${what}`));

    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabelText('What is the token for?').fill('backup');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.element(page.getByLabelText('New token')).toBeVisible();
    found['tokens'] = await auditScreen();

    await page.getByRole('link', { name: 'Webhook deliveries' }).click();
    await expect.element(page.getByRole('table', { name: 'Deliveries' })).toBeVisible();
    found['deliveries'] = await auditScreen();

    await page.getByRole('link', { name: 'Posts' }).click();
    await expect.element(page.getByRole('table', { name: /^Posts/ })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Load more' })).toBeVisible();
    found['posts'] = await auditScreen();
    expect(found).toEqual({ bans: [], tokens: [], deliveries: [], posts: [] });
  });

  /** The Import tab with a file chosen, showing its preview; returns what ends the wait for the next day's writes. */
  async function importPreview(): Promise<() => void> {
    await mountLight('#import');
    await expect.element(page.getByRole('heading', { name: 'Import comments', level: 2 })).toBeVisible();
    const importTab = deepQuery<SalaAdminImport>('sala-admin-import')!;
    importTab.parse = importPlan;
    let reset = () => {};
    importTab.wait = () => new Promise<void>((resolve) => (reset = resolve));
    await expect.element(page.getByLabelText('Export file')).toBeVisible();
    const input = deepQuery<HTMLInputElement>('#import-file')!;
    const files = new DataTransfer();
    files.items.add(new File(['<feed/>'], 'blog-05-01-2024.xml', { type: 'text/xml' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await expect.element(page.getByRole('table', { name: 'Posts the comments land on' })).toBeVisible();
    await expect.element(page.getByText(/New on the server: 25 comments/).first()).toBeVisible();
    return () => reset();
  }

  /** Today's writes spent, and the queue's allowance past them: the import pauses until the reset. */
  async function importPaused(): Promise<void> {
    api.writeBudget = 0;
    api.queueAllowance = 0;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.element(page.getByRole('status').filter({ hasText: /^Paused after 0 of 1 batches/ })).toBeVisible();
    // The file field, disabled, says why: one run at a time.
    await expect.element(page.getByText(/^An import is under way/)).toBeVisible();
  }

  it('passes axe on an import: its preview, paused, stopped waiting and its report', async () => {
    const found: Record<string, string[]> = {};
    const reset = await importPreview();
    found['import preview'] = await auditScreen();
    await importPaused();
    found['import paused'] = await auditScreen();

    // The owner stops waiting: the report, and the notice of what of the file was not sent, which they can forget.
    await page.getByRole('button', { name: 'Stop waiting' }).click();
    await expect.element(page.getByText(/paused part-way/).first()).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Forget this file' })).toBeVisible();
    found['import stopped waiting'] = await auditScreen();

    api.writeBudget = Infinity;
    api.newDay();
    reset();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.element(page.getByText(/^Posts with new comments/).first()).toBeVisible();
    found['import report'] = await auditScreen();
    expect(found).toEqual({
      'import preview': [],
      'import paused': [],
      'import stopped waiting': [],
      'import report': [],
    });
  });
});

describe('accessibility', () => {
  it('names Arabic and Hebrew commenters, bans and posts without bidi isolates, and shows them isolated', async () => {
    const [arabic, hebrew, title] = ['دارا', 'נועה', 'نزهة صباحية'];
    api.signedIn = true;
    api.comments = [
      adminComment('c1', { author: { name: arabic, avatar: 'a', website: 'https://dara.example' } }),
      adminComment('c2', { author: { name: hebrew, avatar: 'b' } }),
    ];
    api.bans = [{ id: 'b1', kind: 'name', label: hebrew, createdAt: '2026-11-20T00:00:00Z', expiresAt: null }];
    api.closed = [];
    api.posts = [{ ...api.posts![0]!, title }];
    const roles = ['article', 'checkbox', 'group', 'button', 'link', 'heading', 'cell', 'row', 'region'] as const;
    /** Each element whose accessible name holds U+2066–U+2069, as role and name. */
    const isolatedNames = () =>
      roles.flatMap((role) =>
        page
          .getByRole(role, { name: /[\u2066-\u2069]/ })
          .elements()
          .map((element) => `${role}: ${element.getAttribute('aria-label') ?? element.textContent?.trim()}`),
      );
    /** The text of the <bdi> inside what `locator` finds: the name shown, laid out in its own direction. */
    const shownIsolated = async (locator: Locator) => {
      await expect.element(locator).toBeVisible();
      return locator.element().querySelector('bdi')?.textContent;
    };
    await mountAdmin();
    await expect.element(page.getByRole('article', { name: `Comment by ${arabic}` })).toBeVisible();
    await expect.element(page.getByRole('checkbox', { name: `Select the comment by ${hebrew}` })).toBeVisible();
    expect(await shownIsolated(page.getByRole('heading', { name: arabic }))).toBe(arabic);
    expect(await shownIsolated(page.getByRole('heading', { name: hebrew }))).toBe(hebrew);
    expect(isolatedNames()).toEqual([]);

    await page.getByRole('link', { name: 'Bans and closed threads' }).click();
    await expect.element(page.getByRole('button', { name: `Lift the ban on ${hebrew}` })).toBeVisible();
    expect(await shownIsolated(page.getByRole('cell', { name: hebrew }))).toBe(hebrew);
    expect(isolatedNames()).toEqual([]);

    await page.getByRole('link', { name: 'Posts' }).click();
    expect(await shownIsolated(page.getByRole('link', { name: title }))).toBe(title);
    expect(isolatedNames()).toEqual([]);
  });

  // Khmer and Japanese: scripts that write words without spaces, where a label's words must still be in its name.
  it.each([
    [
      'km',
      {
        approveAndReply: 'អនុម័ត ហើយឆ្លើយតប',
        tabBans: 'ការហាមឃាត់ និងខ្សែមតិដែលបានបិទ',
        bansTable: 'ការហាមឃាត់ដែលកំពុងអនុវត្ត',
        tabImport: 'នាំចូល',
        importHeading: 'នាំចូលមតិយោបល់',
      },
    ],
    [
      'ja',
      {
        approveAndReply: '承認して返信',
        tabBans: 'ブロックと締め切ったスレッド',
        bansTable: '有効なブロック',
        tabImport: 'インポート',
        importHeading: 'コメントのインポート',
      },
    ],
  ])('passes axe in %s: each button’s visible words are in its accessible name', async (lang, words) => {
    api.signedIn = true;
    await mountAdmin({ lang });
    await page.getByRole('article', { name: /Dara/ }).getByRole('button', { name: words.approveAndReply }).click();
    const found: Record<string, string[]> = { queue: await audit() };
    await page.getByRole('link', { name: words.tabBans }).click();
    await expect.element(page.getByRole('table', { name: words.bansTable })).toBeVisible();
    found['bans'] = await audit();
    await page.getByRole('link', { name: words.tabImport, exact: true }).click();
    await expect.element(page.getByRole('heading', { name: words.importHeading, level: 2 })).toBeVisible();
    found['import'] = await audit();
    expect(found).toEqual({ queue: [], bans: [], import: [] });
  });
});
