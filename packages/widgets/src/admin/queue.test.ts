import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import {
  cleanUp,
  deepQuery,
  deepQueryAll,
  expectFocus,
  mountAdmin,
  page,
  shownComments,
} from '../test/admin-render.js';
import { adminCommentHash } from '@sala/protocol';
import { adminComment, FakeAdminApi, POST, POST_URL, SITE } from '../test/fake-admin-api.js';
import { TOAST_MS } from './toasts.js';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
  api.comments = [
    adminComment('c1', {
      heldBecause: [
        { code: 'first-time' },
        { code: 'hold-word', word: 'casino' },
        { code: 'note', text: 'moderation: hold-first-time' },
      ],
      spam: {
        score: 4,
        reasons: [
          { code: 'links', points: 2, count: 3 },
          { code: 'spam-words', points: 2, words: ['casino', 'pills'] },
          { code: 'first-time-links', points: 1, count: 1 },
          { code: 'fast-typing', points: 2, characters: 900, seconds: 2 },
          { code: 'captcha-passed', points: -3 },
        ],
      },
    }),
    adminComment('c2'),
    adminComment('c3'),
    adminComment('s1', { status: 'spam' }),
  ];
});

afterEach(cleanUp);

/** The reasons a comment shows, held-because first, then each part of the spam score with its points. */
const reasonsShown = (id: string) =>
  [...(deepQuery(`#comment-${id} .why`)?.querySelectorAll('li') ?? [])].map((item) =>
    (item.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );
const moderateRequests = () => api.requestsTo('POST', '/sites/demo/moderate');
/** The buttons of a comment that something else (the toast) lies over at their centre. */
function covered(card: Element): string[] {
  return [...card.querySelectorAll('button')]
    .filter((button) => {
      const box = button.getBoundingClientRect();
      let hit: Element | null = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      // Down through the shadow roots to the element itself.
      while (hit?.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        if (!inner || inner === hit) break;
        hit = inner;
      }
      return !button.contains(hit);
    })
    .map((button) => button.textContent!.trim());
}
const article = (id: string) => page.getByRole('article', { name: `Comment by Reader ${id}` });
/** The text of each live region holding U+2066–U+2069, which a screen reader may read out. */
const markedLive = () =>
  deepQueryAll('[role="status"], [role="alert"]')
    .map((region) => region.textContent ?? '')
    .filter((text) => /[\u2066-\u2069]/.test(text));

describe('the queue', () => {
  it('lists held comments with why each was held, and counts per status', async () => {
    await mountAdmin();
    expect(shownComments()).toEqual(['c1', 'c2', 'c3']);
    const first = article('c1');
    await expect.element(first.getByText('Spam score 4')).toBeVisible();
    expect(reasonsShown('c1')).toEqual([
      'First-time commenter',
      'Contains “casino”',
      // Stored before reasons were codes: shown as written then.
      'moderation: hold-first-time',
      '+2 3 links',
      '+2 Spam words: “casino”, “pills”',
      '+1 A link from a first-time commenter',
      '+2 900 characters in 2 seconds',
      '-3 Passed the Turnstile challenge',
    ]);
    // The body is rendered Markdown, never HTML.
    await expect.element(first.getByText('c1', { exact: true })).toBeVisible();
    expect(deepQuery('#comment-c1 .body strong')?.textContent).toBe('c1');
    await expect.element(first.getByText(/c1@example\.com/)).toBeVisible();
    await expect
      .element(page.getByRole('button', { name: /^Awaiting review/ }))
      .toHaveAccessibleName('Awaiting review 3');
    await expect.element(page.getByRole('button', { name: /^Spam\s*1/ })).toHaveAttribute('aria-pressed', 'false');

    await page.getByRole('button', { name: /^Spam\s*1/ }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['s1']));
    expect(api.requestsTo('GET', '/sites/demo/comments').at(-1)!.url.searchParams.get('status')).toBe('spam');
  });

  it('shows why a comment was held in Khmer when the page is in Khmer', async () => {
    await mountAdmin({ lang: 'km' });
    await vi.waitFor(() => expect(reasonsShown('c1')).toHaveLength(8));
    expect(reasonsShown('c1')).toEqual([
      'អ្នកបញ្ចេញមតិលើកដំបូង',
      'មានពាក្យ “casino”',
      'moderation: hold-first-time',
      '+2 តំណភ្ជាប់ 3',
      '+2 ពាក្យសារឥតបានការ៖ “casino”, “pills”',
      // Khmer has one plural form: the count is written out.
      '+1 តំណភ្ជាប់ 1 ពីអ្នកបញ្ចេញមតិលើកដំបូង',
      '+2 តួអក្សរ 900 ក្នុងរយៈពេល 2 វិនាទី',
      '-3 បានឆ្លងកាត់ការត្រួតពិនិត្យ Turnstile',
    ]);
  });

  it('says why only for comments that were held, not for ones published at once', async () => {
    const score = { score: 1, reasons: [{ code: 'links' as const, points: 1, count: 1 }] };
    api.comments.push(
      adminComment('a1', { status: 'approved', spam: score }),
      adminComment('a2', { status: 'approved', spam: score, heldBecause: [{ code: 'first-time' }] }),
    );
    await mountAdmin();
    await page.getByRole('button', { name: /^Approved/ }).click();
    await expect.element(article('a2').getByRole('heading', { name: 'Why it was held' })).toBeVisible();
    await expect.element(article('a1').getByRole('heading', { name: 'Why it was held' })).not.toBeInTheDocument();
    expect(reasonsShown('a1')).toEqual([]);
  });

  // The site-wide Approved list is the moderation index: imported comments are listed per post until moderated.
  it('says on the site-wide Approved list that imported comments are listed per post, for a site with some', async () => {
    api.imported.set(POST, new Set(['disqus-1']));
    await mountAdmin();
    const note = page.getByText(/Imported comments are not in this site-wide list/);
    await expect.element(note).not.toBeInTheDocument();
    await page.getByRole('button', { name: /^Approved/ }).click();
    await expect.element(note).toBeVisible();
    expect(note.element().textContent).toContain('in “Post (address or page id)” above');
    await page.getByLabelText('Post (address or page id)').fill(POST);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.element(note).not.toBeInTheDocument();
  });

  // The counts are the site's moderation index, imported comments left out: beside one post's list, whose imported
  // comments are all there, "Approved 0" would contradict it.
  it('shows the statuses without the site-wide counts while the list is one post’s, and with them again after', async () => {
    api.comments.push(adminComment('a1', { status: 'approved' }));
    await mountAdmin();
    const counts = () => deepQueryAll('.statuses .count').map((count) => count.textContent);
    await vi.waitFor(() => expect(counts()).toEqual(['3', '1', '1', '0']));
    await page.getByLabelText('Post (address or page id)').fill(POST);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await vi.waitFor(() => expect(counts()).toEqual(['', '', '', '']));
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await vi.waitFor(() => expect(counts()).toEqual(['3', '1', '1', '0']));
  });

  it('says nothing of imported comments on the Approved list of a site that never imported any', async () => {
    api.comments.push(adminComment('a1', { status: 'approved' }));
    await mountAdmin();
    await page.getByRole('button', { name: /^Approved/ }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['a1']));
    expect(api.requestsTo('GET', '/sites/demo/comments').at(-1)!.url.searchParams.get('status')).toBe('approved');
    await expect.element(page.getByText(/Imported comments are not in this site-wide list/)).not.toBeInTheDocument();
  });

  // On a phone the undo toast wraps to two rows: the comment that takes the place of the one approved must keep its
  // buttons clear of it, or the owner's next tap lands on the toast.
  it('keeps the next comment’s buttons clear of the undo toast on a 360 px phone', async () => {
    api.comments = Array.from({ length: 8 }, (_, index) => adminComment(`p${index}`));
    await page.viewport(360, 640);
    try {
      await mountAdmin();
      // The comment acted on sits at the bottom of the screen, where a thumb reaches.
      article('p1').element().scrollIntoView({ block: 'end' });
      await article('p1').getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.element(page.getByRole('button', { name: 'Undo' })).toBeVisible();
      await expect.poll(() => covered(article('p2').element())).toEqual([]);
    } finally {
      await page.viewport(1024, 768);
    }
  });

  // In Khmer a toast naming a post's address wraps to seven lines at 360 px, twice the room kept for it: the form
  // opened next must still show its Save and Cancel above it, not under it for the toast's 8 seconds.
  it('keeps a form’s Save and Cancel clear of a tall Khmer toast on a 360 px phone', async () => {
    const longPost = `${POST}-a-very-long-address-as-a-blog-post-title-makes-it/and-the-month-in-between`;
    api.comments = Array.from({ length: 8 }, (_, index) =>
      adminComment(`p${index}`, { status: 'approved', pageId: longPost }),
    );
    await page.viewport(360, 640);
    try {
      await mountAdmin({ lang: 'km' });
      await page.getByRole('button', { name: /^បានអនុម័ត/ }).click();
      const khmerArticle = (id: string) => page.getByRole('article', { name: new RegExp(`Reader ${id}$`) });
      await vi.waitFor(() => expect(shownComments()).toHaveLength(8));
      khmerArticle('p1').element().scrollIntoView({ block: 'end' });
      await khmerArticle('p1').getByRole('button', { name: 'បិទខ្សែមតិ' }).click();
      await expect.element(page.getByRole('button', { name: 'មិនធ្វើវិញ' })).toBeVisible();
      expect(deepQuery('.toast')!.getBoundingClientRect().height).toBeGreaterThan(160);

      await khmerArticle('p2').getByRole('button', { name: 'កែសម្រួល' }).click();
      await expect.element(khmerArticle('p2').getByRole('button', { name: 'បោះបង់' })).toBeVisible();
      await expect.poll(() => covered(khmerArticle('p2').element())).toEqual([]);
    } finally {
      await page.viewport(1024, 768);
    }
  });

  it('pages through a long queue, says when a count is only a lower bound, and puts comments back in place on it', async () => {
    api.comments = Array.from({ length: 60 }, (_, i) => adminComment(`p${i}`));
    api.countLimit = 55;
    await mountAdmin();
    expect(shownComments()).toHaveLength(50);
    await expect
      .element(page.getByRole('button', { name: /^Awaiting review/ }))
      .toHaveAccessibleName('Awaiting review 55+');
    await page.getByRole('button', { name: 'Load more' }).click();
    await vi.waitFor(() => expect(shownComments()).toHaveLength(60));
    expect(api.requestsTo('GET', '/sites/demo/comments').at(-1)!.url.searchParams.get('cursor')).toBe('50');
    expect(page.getByRole('button', { name: 'Load more' }).query()).toBeNull();
    await expectFocus(article('p50'));

    // On the list grown, p3's failed change and p55 undone after it come back where they were.
    const all = api.comments.map(({ id }) => id);
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('p3').getByRole('button', { name: 'Spam' }).click();
    await article('p55').getByRole('button', { name: 'Reject' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(all.filter((id) => id !== 'p55')));
    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(all));
    await expectFocus(article('p55'));
  });

  it('opens on the comment a one-click moderation page links to: its site, its post’s held list, it focused', async () => {
    const OTHER_POST = 'https://blog.example/2026/12/river';
    api.sites = [SITE, { id: 'river', name: 'River notes', origins: ['https://river.example'] }];
    localStorage.setItem('sala-admin-site', JSON.stringify('demo'));
    api.comments = [
      ...Array.from({ length: 30 }, (_, i) => adminComment(`p${i}`)),
      adminComment('elsewhere', { pageId: OTHER_POST }),
    ];
    location.hash = adminCommentHash({ site: 'river', status: 'pending', pageId: POST, commentId: 'p24' });
    await mountAdmin();

    await expectFocus(article('p24'));
    expect(shownComments()).toHaveLength(30);
    expect(shownComments()).not.toContain('elsewhere');
    const query = api.requestsTo('GET', '/sites/river/comments').at(-1)!.url.searchParams;
    expect([query.get('page'), query.get('status')]).toEqual([POST, 'pending']);
    await expect.element(page.getByRole('combobox', { name: 'Site' })).toHaveValue('river');
    // Once: a reload opens on the held comments of the site the link chose.
    expect(location.hash).toBe('#comments');
    expect(JSON.parse(localStorage.getItem('sala-admin-site')!)).toBe('river');
  });

  it('opens on a linked comment further down than the first 50, acts on it with a, and shows the newest on request', async () => {
    api.comments = Array.from({ length: 80 }, (_, i) => adminComment(`p${i}`));
    location.hash = adminCommentHash({ site: 'demo', status: 'pending', pageId: POST, commentId: 'p69' });
    await mountAdmin();

    await expectFocus(article('p69'));
    expect(shownComments()).toEqual(Array.from({ length: 11 }, (_, i) => `p${69 + i}`));
    await expect.element(page.getByText(/This list starts at the comment the link named; its newer/)).toBeVisible();
    await userEvent.keyboard('a');
    await expectFocus(article('p70'));
    expect(shownComments()).not.toContain('p69');

    await page.getByRole('button', { name: 'Show from the newest' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(Array.from({ length: 50 }, (_, i) => `p${i}`)));
    // The approval held back for undo went before the list was read again.
    expect(moderateRequests().map((request) => request.body)).toEqual([
      { action: 'approve', comments: [{ page: POST, id: 'p69', seenEdit: null }] },
    ]);
    expect(api.requestsTo('GET', '/sites/demo/comments').at(-1)!.url.searchParams.get('comment')).toBeNull();
  });

  it('says so when the linked comment is no longer in the list the link named', async () => {
    api.comments = [
      ...Array.from({ length: 60 }, (_, i) => adminComment(`p${i}`)),
      adminComment('decided', { status: 'approved' }),
    ];
    location.hash = adminCommentHash({ site: 'demo', status: 'pending', pageId: POST, commentId: 'decided' });
    await mountAdmin();

    const gone = /^The comment the link named is no longer in this list: it was approved, rejected/;
    await expect.element(page.getByRole('region', { name: 'Comments' }).getByText(gone)).toBeVisible();
    // Said to a screen reader too, as the list's count would be.
    await expect.element(page.getByRole('status').getByText(gone)).toBeInTheDocument();
    expect(shownComments()).toEqual(Array.from({ length: 50 }, (_, i) => `p${i}`));
    await expect.element(page.getByRole('button', { name: 'Load more' })).toBeVisible();
  });

  it('filters by post and search', async () => {
    await mountAdmin();
    await page.getByLabelText('Post (address or page id)').fill(POST);
    await page.getByLabelText('Search').fill('reader c2');
    await page.getByRole('button', { name: 'Filter' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c2']));
    const query = api.requestsTo('GET', '/sites/demo/comments').at(-1)!.url.searchParams;
    expect([query.get('page'), query.get('q'), query.get('status')]).toEqual([POST, 'reader c2', 'pending']);
  });

  it('approves the selected comments in one request, after the undo toast has gone', async () => {
    await mountAdmin();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c1' }).click();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c3' }).click();
    await expect.element(page.getByText('2 selected')).toBeVisible();
    await page.getByRole('group', { name: 'Selected comments' }).getByRole('button', { name: 'Approve' }).click();

    await expect.element(page.getByRole('status').getByText('2 comments approved.')).toBeVisible();
    expect(shownComments()).toEqual(['c2']);
    // The bulk bar went with the selection; focus goes to the comment left in their place.
    await expectFocus(article('c2'));
    await expect.element(page.getByRole('button', { name: /^Approved/ })).toHaveAccessibleName('Approved 2');
    // Held back while it can be undone.
    expect(moderateRequests()).toHaveLength(0);

    await page.getByRole('button', { name: 'Dismiss' }).click();
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(1));
    const [request] = moderateRequests();
    expect(request!.body).toEqual({
      action: 'approve',
      comments: [
        { page: POST, id: 'c1', seenEdit: null },
        { page: POST, id: 'c3', seenEdit: null },
      ],
    });
    expect(request!.credentials).toBe('same-origin');
    expect(api.comments.filter((comment) => comment.status === 'approved').map((comment) => comment.id)).toEqual([
      'c1',
      'c3',
    ]);
  });

  it('undo puts the comments back where they were and sends nothing', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Delete' }).click();
    expect(shownComments()).toEqual(['c1', 'c3']);
    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
    await expect.element(page.getByRole('status').getByText('Undone.')).toBeInTheDocument();
    await expectFocus(article('c2'));
    expect(moderateRequests()).toHaveLength(0);
    await expect
      .element(page.getByRole('button', { name: /^Awaiting review/ }))
      .toHaveAccessibleName('Awaiting review 3');
  });

  // A click in Safari, or a screen reader's, activates Undo without moving the focus: it was in the field typed in.
  it('undo leaves the caret in the field the owner is typing in, and says it undid', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Delete' }).click();
    await page.getByLabelText('Search').fill('casino');
    deepQuery<HTMLButtonElement>('.toast button.primary')!.click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
    await expect.element(page.getByRole('status').getByText('Undone.')).toBeInTheDocument();
    await expectFocus(page.getByLabelText('Search'));
    await expect.element(page.getByLabelText('Search')).toHaveValue('casino');
  });

  // Dismiss too: the toast goes and the change is sent, the caret left where it was, not taken to the section.
  it('dismiss leaves the caret in the field the owner is typing in', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Delete' }).click();
    await page.getByLabelText('Search').fill('casino');
    deepQuery<HTMLButtonElement>('.toast button:not(.primary)')!.click();
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(1));
    expect(deepQuery('.toast')?.hidden).toBe(true);
    await expectFocus(page.getByLabelText('Search'));
    await expect.element(page.getByLabelText('Search')).toHaveValue('casino');
  });

  // A new isolate's first decision on a big thread leaves the page's rebuild to the admin page, as a new comment
  // leaves it to its reader's browser: until asked, readers of the post still see the comment rejected.
  it('asks for the rebuild of each page a decision left to it, waiting for none and saying nothing of a failure', async () => {
    const OTHER = 'https://blog.example/2026/11/evening-walk';
    api.comments = [adminComment('c1'), adminComment('c2'), adminComment('c3', { pageId: OTHER })];
    api.leavesRebuilds = true;
    await mountAdmin();
    const rebuildRequests = () => api.requestsTo('POST', '/api/v1/comments/rebuild');
    // The first follow-up is never answered, the second fails: neither holds the queue up or shows anything.
    api.gate = () =>
      api.requests.at(-1)!.path === '/api/v1/comments/rebuild' ? new Promise(() => {}) : Promise.resolve();
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' }, /rebuild/);
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c2' }).click();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c3' }).click();
    await page.getByRole('group', { name: 'Selected comments' }).getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await vi.waitFor(() => expect(rebuildRequests()).toHaveLength(2));
    const asked = rebuildRequests().map(({ url, body, credentials }) => ({
      query: Object.fromEntries(url.searchParams),
      body,
      credentials,
    }));
    expect(asked).toEqual(
      [POST, OTHER].map((post) => ({
        query: { site: 'demo', page: post, token: `rebuild:${post}` },
        body: undefined,
        credentials: 'omit',
      })),
    );

    // The next decision goes out as ever, with its own follow-up.
    await article('c1').getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await vi.waitFor(() => expect(rebuildRequests()).toHaveLength(3));
    expect(moderateRequests()).toHaveLength(2);
    expect(shownComments()).toEqual([]);
    expect(deepQueryAll('[role="status"], [role="alert"]').map((region) => region.textContent)).not.toContainEqual(
      expect.stringMatching(/could not/),
    );
  });

  it('sends no follow-up when the decision’s answer leaves none', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(1));
    await article('c3').getByRole('button', { name: 'Pin' }).click();
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(2));
    expect(api.requestsTo('POST', /rebuild/)).toEqual([]);
  });

  // The places the page remembered were indexes into a list that another change coming back had changed since: the
  // comment undone came back elsewhere, and the failed one on top, and the queue reordered under the owner's pointer.
  it('puts a comment undone and another whose change failed meanwhile back between the neighbours each had', async () => {
    api.comments = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => adminComment(id));
    await mountAdmin();
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('c4').getByRole('button', { name: 'Spam' }).click();
    // Sends c4's change, which fails while c2's waits behind its undo.
    await article('c2').getByRole('button', { name: 'Reject' }).click();
    await expect.element(page.getByRole('status').getByText(/^1 comment could not be changed/)).toBeVisible();
    expect(shownComments()).toEqual(['c1', 'c3', 'c4', 'c5']);

    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']));
    await expect.element(page.getByRole('status').getByText('Undone.')).toBeInTheDocument();
    await expectFocus(article('c2'));
    expect(moderateRequests()).toHaveLength(1);
  });

  it('puts back in place a bulk change that fails after the next change was undone, leaving focus where undo put it', async () => {
    api.comments = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => adminComment(id));
    await mountAdmin();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    api.gate = () => (api.requests.at(-1)!.path.endsWith('/moderate') ? answered : Promise.resolve());
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c2' }).click();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c4' }).click();
    await page.getByRole('group', { name: 'Selected comments' }).getByRole('button', { name: 'Spam' }).click();
    await article('c3').getByRole('button', { name: 'Approve' }).click();
    expect(shownComments()).toEqual(['c1', 'c5']);
    // Undone before the bulk change's answer comes, which then says it failed.
    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c3', 'c5']));
    await expectFocus(article('c3'));
    answer();

    await expect.element(page.getByRole('status').getByText(/^2 comments could not be changed/)).toBeVisible();
    expect(shownComments()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    await expectFocus(article('c3'));
  });

  it('sends a held-back change with keepalive when the owner leaves the page', async () => {
    await mountAdmin();
    await article('c1').getByRole('button', { name: 'Reject' }).click();
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(1));
    expect(moderateRequests()[0]).toMatchObject({ keepalive: true, body: { action: 'reject' } });
  });

  it('starts every request of a bulk change at once when the owner leaves the page', async () => {
    api.comments = Array.from({ length: 30 }, (_, i) => adminComment(`b${i}`));
    await mountAdmin();
    await page.getByRole('checkbox', { name: 'Select all shown' }).click();
    await page.getByRole('group', { name: 'Selected comments' }).getByRole('button', { name: 'Spam' }).click();
    // Nothing answers until the page is gone: a request not started by then never is.
    api.gate = () => new Promise(() => {});
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(2));
    expect(moderateRequests().every((request) => request.keepalive)).toBe(true);
    expect(moderateRequests().flatMap((request) => (request.body as { comments: unknown[] }).comments)).toHaveLength(
      30,
    );
  });

  it('brings back comments whose change failed, and says why', async () => {
    await mountAdmin();
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('c1').getByRole('button', { name: 'Spam' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect
      .element(
        page
          .getByRole('status')
          .getByText('1 comment could not be changed: Something went wrong on the server. Try again later.'),
      )
      .toBeVisible();
    expect(shownComments()).toContain('c1');
    // The focus went with it (its button, then the toast's Dismiss): it comes back to it, not to the page.
    await expectFocus(article('c1'));
  });

  it('brings the focus back to a comment whose change failed from the one put in its place, not from a field typed in', async () => {
    await mountAdmin();
    /**
     * The undo toast's 8 seconds pass at once: the change is sent, and fails. Nothing waits while time is fake (a wait
     * moves it on, and could end the failure's notice before it is read).
     */
    const failAfter = async (act: () => Promise<void>) => {
      api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        await act();
        // The pointer off the toast, which holds it while over it (where the last test's Dismiss left the pointer).
        await userEvent.hover(page.getByRole('heading', { name: 'Comments', level: 2 }));
        vi.advanceTimersByTime(TOAST_MS);
      } finally {
        vi.useRealTimers();
      }
      await expect.element(page.getByRole('status').getByText(/^1 comment could not be changed/)).toBeVisible();
      await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
    };
    // Its Spam button goes with it, and the focus to the next comment.
    await failAfter(() => article('c1').getByRole('button', { name: 'Spam' }).click());
    await expectFocus(article('c1'));

    // Again, while the owner types a search: the comment comes back, the caret stays.
    await failAfter(async () => {
      await article('c1').getByRole('button', { name: 'Spam' }).click();
      await page.getByLabelText('Search').fill('casino');
    });
    for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
    await expectFocus(page.getByLabelText('Search'));
    await expect.element(page.getByLabelText('Search')).toHaveValue('casino');
  });

  /** c1 marked as spam, then c2 rejected: that sends c1's change, which fails while c2's waits behind its undo. */
  async function failUnderAHeldChange(): Promise<void> {
    await mountAdmin();
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('c1').getByRole('button', { name: 'Spam' }).click();
    await article('c2').getByRole('button', { name: 'Reject' }).click();
    await expect.element(page.getByRole('status').getByText(/^1 comment could not be changed/)).toBeVisible();
  }

  it('keeps the next change undoable when the one it sent fails: the failure shows above it, nothing more is sent', async () => {
    await failUnderAHeldChange();
    await expect.element(page.getByText('1 comment rejected.')).toBeVisible();
    expect(moderateRequests()).toHaveLength(1);

    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(moderateRequests()).toHaveLength(1);
    expect(api.comments.find((comment) => comment.id === 'c2')?.status).toBe('pending');
  });

  it('shows a change held back under a notice again when the notice goes, and sends it when it ends', async () => {
    await failUnderAHeldChange();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.element(page.getByRole('status').getByText('1 comment rejected.')).toBeVisible();
    expect(moderateRequests()).toHaveLength(1);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await vi.waitFor(() => expect(moderateRequests()).toHaveLength(2));
    expect(moderateRequests()[1]!.body).toMatchObject({ action: 'reject', comments: [{ id: 'c2' }] });
  });

  it('puts a comment whose change failed back in its list and counts it there again', async () => {
    await mountAdmin();
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('c1').getByRole('button', { name: 'Spam' }).click();
    await expect
      .element(page.getByRole('button', { name: /^Awaiting review/ }))
      .toHaveAccessibleName('Awaiting review 2');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.element(page.getByRole('status').getByText(/^1 comment could not be changed/)).toBeVisible();
    await expect
      .element(page.getByRole('button', { name: /^Awaiting review/ }))
      .toHaveAccessibleName('Awaiting review 3');
    await expect.element(page.getByRole('button', { name: /^Spam\s/ })).toHaveAccessibleName('Spam 1');
  });

  it('keeps a held comment whose move to Spam failed out of the Spam list the owner opened meanwhile', async () => {
    await mountAdmin();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // The move's answer comes late: the owner opens the Spam list before it.
    api.gate = () => (api.requests.at(-1)!.path.endsWith('/moderate') ? answered : Promise.resolve());
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await article('c1').getByRole('button', { name: 'Spam' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: /^Spam\s/ }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['s1']));
    answer();

    await expect.element(page.getByRole('status').getByText(/^1 comment could not be changed/)).toBeVisible();
    expect(shownComments()).toEqual(['s1']);
    await page.getByRole('button', { name: /^Awaiting review/ }).click();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
  });

  it('does not bring back into Held a comment whose change failed but which is no longer held', async () => {
    await mountAdmin();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c1' }).click();
    await page.getByRole('checkbox', { name: 'Select the comment by Reader c2' }).click();
    await page.getByRole('group', { name: 'Selected comments' }).getByRole('button', { name: 'Approve' }).click();
    // c1 is marked spam meanwhile in another tab, as the owner's approval of both fails.
    api.comments.find(({ id }) => id === 'c1')!.status = 'spam';
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await expect.element(page.getByRole('status').getByText(/^2 comments could not be changed/)).toBeVisible();
    await vi.waitFor(() => expect(shownComments()).toEqual(['c2', 'c3']));
  });

  it('approves only the text the owner read: edited by its author since, it is shown again as it reads now', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Approve' }).click();
    // The author edits it while the undo toast holds the approval back.
    const edited = api.comments.find((comment) => comment.id === 'c2')!;
    Object.assign(edited, { body: 'Cheap pills at pills.example', editedAt: new Date().toISOString() });
    await page.getByRole('button', { name: 'Dismiss' }).click();

    // What happened and what to do, where "could not be changed: try again" had the owner approve it unread.
    await expect
      .element(
        page
          .getByRole('status')
          .getByText(
            '1 comment was edited by its author since you read it, so it is not approved. It is back in the list as it reads now: read it, then approve it.',
          ),
      )
      .toBeVisible();
    await expect.element(article('c2').getByText('Cheap pills at pills.example')).toBeVisible();
    expect(moderateRequests()[0]!.body).toEqual({
      action: 'approve',
      comments: [{ page: POST, id: 'c2', seenEdit: null }],
    });
    expect(api.comments.find((comment) => comment.id === 'c2')?.status).toBe('pending');
  });

  it('shows an approval edited since as it reads now, far down a post with more held comments than a page', async () => {
    // 101: the last one is shown on the queue's third page of 50, and read again on its list's second page of 100.
    api.comments = Array.from({ length: 101 }, (_, i) => adminComment(`h${i}`));
    await mountAdmin();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('button', { name: 'Load more' }).click();
    await article('h100').getByRole('button', { name: 'Approve' }).click();
    const edited = api.comments.find((comment) => comment.id === 'h100')!;
    Object.assign(edited, { body: 'Cheap pills at pills.example', editedAt: new Date().toISOString() });
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await expect.element(article('h100').getByText('Cheap pills at pills.example')).toBeVisible();
    // So its Approve names the edit the owner now reads, and publishes it.
    await article('h100').getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => edited.status).toBe('approved');
  });

  it('brings an approval edited since back as it reads now, leaving a reply being typed and its focus alone', async () => {
    await mountAdmin();
    const edited = api.comments.find((comment) => comment.id === 'c2')!;
    // The undo toast's 8 seconds pass at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await article('c2').getByRole('button', { name: 'Approve' }).click();
      Object.assign(edited, { body: 'Cheap pills at pills.example', editedAt: new Date().toISOString() });
      // The owner answers another comment while the toast runs out.
      await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
      await page.getByLabelText('Your reply to Reader c1').fill('Welcome, and thank you for');
      vi.advanceTimersByTime(TOAST_MS);
    } finally {
      vi.useRealTimers();
    }

    await expect.element(article('c2').getByText('Cheap pills at pills.example')).toBeVisible();
    await expect.element(page.getByLabelText('Your reply to Reader c1')).toHaveValue('Welcome, and thank you for');
    await expectFocus(page.getByLabelText('Your reply to Reader c1'));
    expect(edited.status).toBe('pending');
  });
});

describe('keyboard shortcuts', () => {
  it('move with j and k, select with x, approve with a, mark spam with s, undo with u', async () => {
    await mountAdmin();
    await userEvent.keyboard('j');
    await expectFocus(article('c1'));
    await userEvent.keyboard('jk');
    await expectFocus(article('c1'));

    await userEvent.keyboard('a');
    // The next comment takes the place of the approved one.
    await expectFocus(article('c2'));
    expect(shownComments()).toEqual(['c2', 'c3']);

    await userEvent.keyboard('s');
    await vi.waitFor(() => expect(shownComments()).toEqual(['c3']));
    // A new change sends the one before it.
    await vi.waitFor(() =>
      expect(moderateRequests().map((request) => request.body)).toEqual([
        { action: 'approve', comments: [{ page: POST, id: 'c1', seenEdit: null }] },
      ]),
    );

    await userEvent.keyboard('u');
    await vi.waitFor(() => expect(shownComments()).toEqual(['c2', 'c3']));
    await expectFocus(article('c2'));

    await userEvent.keyboard('x');
    await expect.element(page.getByRole('checkbox', { name: 'Select the comment by Reader c2' })).toBeChecked();
    await userEvent.keyboard('j');
    await userEvent.keyboard('x');
    await userEvent.keyboard('r');
    // With a selection, the action applies to all of it.
    await vi.waitFor(() => expect(shownComments()).toEqual([]));
    await expect.element(page.getByRole('status').getByText('2 comments rejected.')).toBeVisible();
  });

  it('u puts a comment back and leaves the focus in another comment’s open form', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Delete' }).click();
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome, and');
    await userEvent.tab();
    await userEvent.tab();
    const cancel = article('c1').getByRole('button', { name: 'Cancel' });
    await expectFocus(cancel);
    await userEvent.keyboard('u');
    await vi.waitFor(() => expect(shownComments()).toEqual(['c1', 'c2', 'c3']));
    await expect.element(page.getByRole('status').getByText('Undone.')).toBeInTheDocument();
    await expectFocus(cancel);
    await expect.element(page.getByLabelText('Your reply to Reader c1')).toHaveValue('Welcome, and');
  });

  it('are not commands while typing in a field, and ? explains them', async () => {
    await mountAdmin();
    await page.getByLabelText('Search').click();
    await userEvent.keyboard('jars');
    await expect.element(page.getByLabelText('Search')).toHaveValue('jars');
    expect(shownComments()).toEqual(['c1', 'c2', 'c3']);

    await userEvent.keyboard('{Escape}');
    await page.getByRole('heading', { name: 'Comments', level: 2 }).click();
    await userEvent.keyboard('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.element(help).toBeVisible();
    await expect.element(help.getByText('Approve the selected comments, or the current one')).toBeVisible();
    // Keys inside the dialog are not commands either.
    await userEvent.keyboard('a');
    expect(shownComments()).toEqual(['c1', 'c2', 'c3']);
    await userEvent.keyboard('{Escape}');
    await expect.element(help).not.toBeInTheDocument();
  });
});

describe('actions on one comment', () => {
  it('edits and pins', async () => {
    await mountAdmin();
    await article('c2').getByRole('button', { name: 'Edit' }).click();
    const editBox = page.getByLabelText('Edit the comment by Reader c2');
    await expect.element(editBox).toHaveValue('Comment **c2**');
    await editBox.fill('Comment, *edited*');
    await article('c2').getByRole('button', { name: 'Save' }).click();
    await expect.element(article('c2').getByText('edited', { exact: true }).first()).toBeVisible();
    expect(api.requestsTo('PATCH', '/sites/demo/comments/c2')[0]!.body).toEqual({
      page: POST,
      body: 'Comment, *edited*',
    });

    await article('c3').getByRole('button', { name: 'Pin' }).click();
    await expect.element(article('c3').getByText('Pinned')).toBeVisible();
    expect(moderateRequests()[0]!.body).toEqual({ action: 'pin', comments: [{ page: POST, id: 'c3' }] });
  });

  // As a decision's: a new isolate's first edit or reply on a big thread leaves the post's rebuild to the admin page.
  it('asks for the post’s rebuild after an edit or a reply left it to the page, showing nothing of it', async () => {
    api.comments.push(adminComment('a1', { status: 'approved' }));
    api.leavesRebuilds = true;
    await mountAdmin();
    const rebuildRequests = () => api.requestsTo('POST', '/api/v1/comments/rebuild');
    // The edit's follow-up is never answered: it holds nothing up.
    api.gate = () =>
      api.requests.at(-1)!.path === '/api/v1/comments/rebuild' ? new Promise(() => {}) : Promise.resolve();
    await article('c2').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabelText('Edit the comment by Reader c2').fill('Comment, *edited*');
    await article('c2').getByRole('button', { name: 'Save' }).click();
    await expect.element(article('c2').getByText('edited', { exact: true }).first()).toBeVisible();
    await vi.waitFor(() => expect(rebuildRequests()).toHaveLength(1));

    await page.getByRole('button', { name: /^Approved/ }).click();
    await article('a1').getByRole('button', { name: 'Reply' }).click();
    await page.getByLabelText('Your reply to Reader a1').fill('Thank you for reading!');
    await page.getByRole('button', { name: 'Publish reply' }).click();
    await expect.element(page.getByRole('status').getByText('Reply published.')).toBeVisible();
    await vi.waitFor(() => expect(rebuildRequests()).toHaveLength(2));
    expect(
      rebuildRequests().map(({ url, body, credentials }) => ({
        query: Object.fromEntries(url.searchParams),
        body,
        credentials,
      })),
    ).toEqual(
      [0, 1].map(() => ({
        query: { site: 'demo', page: POST, token: `rebuild:${POST}` },
        body: undefined,
        credentials: 'omit',
      })),
    );
    expect(shownComments()).toEqual(['a1', 'reply-1']);
  });

  it('replies as the owner to an approved comment, below it', async () => {
    api.comments.push(adminComment('a1', { status: 'approved' }));
    await mountAdmin();
    await page.getByRole('button', { name: /^Approved/ }).click();
    await article('a1').getByRole('button', { name: 'Reply' }).click();
    const replyBox = page.getByLabelText('Your reply to Reader a1');
    await expectFocus(replyBox);
    await replyBox.fill('Thank you for reading!');
    await page.getByRole('button', { name: 'Publish reply' }).click();
    await expect.element(page.getByRole('status').getByText('Reply published.')).toBeVisible();
    expect(api.requestsTo('POST', '/sites/demo/comments')[0]!.body).toEqual({
      page: POST,
      parentId: 'a1',
      body: 'Thank you for reading!',
    });
    expect(shownComments()).toEqual(['a1', 'reply-1']);
    await expect.element(page.getByRole('button', { name: /^Approved/ })).toHaveAccessibleName('Approved 2');
    await expectFocus(article('a1').getByRole('button', { name: 'Reply' }));
  });

  it('approves a held comment, then replies to it, and it leaves the held list', async () => {
    await mountAdmin();
    await expect.element(article('c1').getByRole('button', { name: 'Reply', exact: true })).not.toBeInTheDocument();
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();

    await expect.element(page.getByRole('status').getByText('Comment approved and reply published.')).toBeVisible();
    // The server answers approved comments only: the approval goes first.
    expect(api.requests.filter(({ method }) => method === 'POST').map(({ path }) => path)).toEqual([
      '/sites/demo/moderate',
      '/sites/demo/comments',
    ]);
    expect(moderateRequests()[0]!.body).toEqual({
      action: 'approve',
      comments: [{ page: POST, id: 'c1', seenEdit: null }],
    });
    expect(api.comments.find(({ id }) => id === 'c1')!.status).toBe('approved');
    expect(shownComments()).toEqual(['c2', 'c3']);
    // c1 and the reply
    await expect.element(page.getByRole('button', { name: /^Approved/ })).toHaveAccessibleName('Approved 2');
  });

  it('replies nothing and keeps the text when the approval fails', async () => {
    await mountAdmin();
    api.failNext('POST', 409, { code: 'conflict', message: 'Busy.' }, /moderate$/);
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();

    await expect
      .element(article('c1').getByRole('alert'))
      .toHaveTextContent('Something changed at the same moment. Try again.');
    expect(api.requestsTo('POST', '/sites/demo/comments')).toEqual([]);
    await expect.element(page.getByLabelText('Your reply to Reader c1')).toHaveValue('Welcome!');
    expect(api.comments.find(({ id }) => id === 'c1')!.status).toBe('pending');
  });

  it('when the held comment was edited since it was shown, shows it as it reads now and keeps the reply', async () => {
    await mountAdmin();
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    // Its author edits it while the owner writes.
    const edited = api.comments.find(({ id }) => id === 'c1')!;
    Object.assign(edited, { body: 'Now selling pills', editedAt: new Date().toISOString() });
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();

    await expect
      .element(article('c1').getByRole('alert'))
      .toHaveTextContent(
        'Reader c1 edited this comment since you read it, so it is not approved and your reply is not published. Its new text is shown above: read it, then send again.',
      );
    await expect.element(article('c1').getByText('Now selling pills')).toBeVisible();
    await expect.element(page.getByLabelText('Your reply to Reader c1')).toHaveValue('Welcome!');
    expect(api.requestsTo('POST', '/sites/demo/comments')).toEqual([]);
    expect(edited.status).toBe('pending');
    // Sent again, it approves the text now shown.
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();
    await expect.element(page.getByRole('status').getByText('Comment approved and reply published.')).toBeVisible();
    expect(edited.status).toBe('approved');
  });

  it('when the approval went through and the reply did not, sending again only replies', async () => {
    await mountAdmin();
    api.failNext('POST', 503, { code: 'internal', message: 'Down.' }, /\/comments$/);
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();
    await expect
      .element(article('c1').getByRole('alert'))
      .toHaveTextContent('Something went wrong on the server. Try again later.');
    await expect.element(page.getByLabelText('Your reply to Reader c1')).toHaveValue('Welcome!');

    await article('c1').getByRole('button', { name: 'Publish reply' }).click();
    await expect.element(page.getByRole('status').getByText('Reply published.')).toBeVisible();
    expect(moderateRequests()).toHaveLength(1);
    expect(api.requestsTo('POST', '/sites/demo/comments')).toHaveLength(2);
    expect(shownComments()).toEqual(['c2', 'c3']);
  });

  it('when the comment replied to went meanwhile, says so, reloads the list without it and keeps the text', async () => {
    api.comments.push(adminComment('a1', { status: 'approved' }), adminComment('a2', { status: 'approved' }));
    await mountAdmin();
    await page.getByRole('button', { name: /^Approved/ }).click();
    await article('a1').getByRole('button', { name: 'Reply' }).click();
    api.comments.find(({ id }) => id === 'a1')!.status = 'rejected'; // another tab rejected it meanwhile
    await page.getByLabelText('Your reply to Reader a1').fill('Thanks!');
    await page.getByRole('button', { name: 'Publish reply' }).click();
    await expect
      .element(page.getByRole('alert'))
      .toHaveTextContent(
        'Your reply to Reader a1 was not published: that comment was deleted or removed meanwhile. The list is reloaded without it; your text is kept below.',
      );
    await expect.poll(shownComments).toEqual(['a2']);
    const kept = page.getByLabelText('Your unpublished reply to Reader a1');
    await expect.element(kept).toHaveValue('Thanks!');
    await expectFocus(kept);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect.element(kept).not.toBeInTheDocument();
  });

  it('when the held comment went between approving and replying, reloads the list and keeps the text', async () => {
    await mountAdmin();
    api.failNext('POST', 400, { code: 'parent_not_found', message: 'Reply to an approved comment.' }, /\/comments$/);
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();
    await expect.element(page.getByLabelText('Your unpublished reply to Reader c1')).toBeVisible();
    expect(page.getByRole('alert').element().textContent).toBe(
      'Your reply to Reader c1 was not published: that comment was deleted or removed meanwhile. The list is reloaded without it; your text is kept below.',
    );
    await expect.element(page.getByLabelText('Your unpublished reply to Reader c1')).toHaveValue('Welcome!');
    expect(api.requestsTo('GET', '/sites/demo/comments')).toHaveLength(2);
  });

  it('when the held comment was deleted before approving, says so, reloads the list and keeps the text', async () => {
    await mountAdmin();
    await article('c1').getByRole('button', { name: 'Approve and reply' }).click();
    await page.getByLabelText('Your reply to Reader c1').fill('Welcome!');
    api.comments.find(({ id }) => id === 'c1')!.deleted = true; // its author deleted it meanwhile
    await article('c1').getByRole('button', { name: 'Approve and publish reply' }).click();
    await expect.element(page.getByLabelText('Your unpublished reply to Reader c1')).toHaveValue('Welcome!');
    expect(page.getByRole('alert').element().textContent).toBe(
      'Your reply to Reader c1 was not published: that comment was deleted or removed meanwhile. The list is reloaded without it; your text is kept below.',
    );
    // The queue reloads without it (the kept text shows first, while the list is still loading).
    await expect.poll(shownComments).toEqual(['c2', 'c3']);
    expect(api.requestsTo('POST', '/sites/demo/comments')).toHaveLength(0);
  });

  it('offers no reply on spam or rejected comments, and Pin on top-level comments only', async () => {
    api.comments.push(
      adminComment('a1', { status: 'approved' }),
      adminComment('a2', { status: 'approved', parentId: 'a1' }),
      adminComment('a3', { status: 'approved', parentId: 'a1', pinned: true }),
    );
    await mountAdmin();
    await page.getByRole('button', { name: /^Spam\s*1/ }).click();
    await expect.element(article('s1')).toBeVisible();
    await expect.element(article('s1').getByRole('button', { name: /reply/i })).not.toBeInTheDocument();

    await page.getByRole('button', { name: /^Approved/ }).click();
    await expect.element(article('a1').getByRole('button', { name: 'Pin' })).toBeVisible();
    await expect.element(article('a2').getByRole('button', { name: 'Reply' })).toBeVisible();
    await expect.element(article('a2').getByRole('button', { name: 'Pin' })).not.toBeInTheDocument();
    // Pinned before the rule, a reply can still be unpinned.
    await article('a3').getByRole('button', { name: 'Unpin' }).click();
    await expect.element(article('a3').getByText('Pinned')).not.toBeInTheDocument();
  });

  it('bans the commenter for a while, and undo lifts the ban', async () => {
    await mountAdmin();
    await article('c1').getByRole('button', { name: 'Ban…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ban Reader c1' });
    await expect.element(dialog.getByRole('radio', { name: 'Email address (c1@example.com)' })).toBeChecked();
    await dialog.getByLabelText('For').selectOptions('1 day');
    await dialog.getByLabelText('Reason (only you see it)').fill('casino links');
    await dialog.getByRole('button', { name: 'Ban', exact: true }).click();

    await expect.element(page.getByRole('status').getByText(/^c1@example\.com banned until/)).toBeVisible();
    expect(api.requestsTo('POST', '/sites/demo/bans')[0]!.body).toEqual({
      kind: 'email',
      value: 'c1@example.com',
      durationSeconds: 86_400,
      reason: 'casino links',
    });
    await expectFocus(article('c1').getByRole('button', { name: 'Ban…' }));
    await page.getByRole('button', { name: 'Undo' }).click();
    await vi.waitFor(() => expect(api.bans).toEqual([]));

    // Banned again, and the lift fails: the toast says so, and the focus gone with the Undo button goes back to the Ban
    // button, not to nothing.
    await article('c1').getByRole('button', { name: 'Ban…' }).click();
    await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
    await expect.element(page.getByRole('status').getByText(/^c1@example\.com banned until/)).toBeVisible();
    api.failNext('DELETE', 503, { code: 'internal', message: 'KV is down' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.element(page.getByRole('status').getByText(/Something went wrong on the server/)).toBeVisible();
    await expectFocus(article('c1').getByRole('button', { name: 'Ban…' }));
    expect(api.bans).toHaveLength(1);
  });

  it('links each comment’s page where the blog serves it: the address it came with, else its id', async () => {
    api.comments = [adminComment('c1', { pageUrl: POST_URL }), adminComment('c2')];
    await mountAdmin();
    const onPage = (id: string) => article(id).getByRole('link', { name: /morning-walk/ });
    await expect.element(onPage('c1')).toHaveAttribute('href', POST_URL);
    await expect.element(onPage('c1')).toHaveTextContent(POST_URL);
    // Stored before comments carried their address: the id is all there is.
    await expect.element(onPage('c2')).toHaveAttribute('href', POST);

    await article('c1').getByRole('button', { name: 'Close thread' }).click();
    await expect.element(article('c1').getByText('Thread closed')).toBeVisible();
    expect(api.requestsTo('PUT', '/sites/demo/threads')[0]!.body).toEqual({
      page: POST,
      closed: true,
      pageUrl: POST_URL,
    });
  });

  it('closes and reopens the thread of a comment, its post named in a <bdi> and no isolate marks read out', async () => {
    // A right-to-left id (no web address): unisolated, it takes the sentence's full stop along into its own direction.
    const post = 'نزهة-صباحية-2';
    api.comments = [adminComment('c1', { pageId: post }), adminComment('c2', { pageId: post })];
    const toast = () => deepQuery('.toast [role="status"]')!;
    await mountAdmin();
    await article('c1').getByRole('button', { name: 'Close thread' }).click();
    await expect.element(article('c1').getByText('Thread closed')).toBeVisible();
    expect(api.requestsTo('PUT', '/sites/demo/threads')[0]!.body).toEqual({ page: post, closed: true });
    await expect.poll(() => toast().textContent).toBe(`Comments closed on ${post}.`);
    expect(toast().querySelector('bdi')?.textContent).toBe(post);
    expect(markedLive()).toEqual([]);

    await article('c2').getByRole('button', { name: 'Reopen thread' }).click();
    await vi.waitFor(() => expect(api.closed).toEqual([]));
    await expect.poll(() => toast().textContent).toBe(`Comments reopened on ${post}.`);
    expect(toast().querySelector('bdi')?.textContent).toBe(post);
    expect(markedLive()).toEqual([]);

    // Its Undo fails: the comment says so (not "Undone."), and takes the focus that went with the Undo button, to try
    // again from there.
    api.failNext('PUT', 503, { code: 'internal', message: 'KV is down' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect
      .element(article('c2').getByRole('alert'))
      .toHaveTextContent('Something went wrong on the server. Try again later.');
    await expect.element(page.getByRole('status').getByText('Undone.')).not.toBeInTheDocument();
    await expectFocus(article('c2'));
    expect(api.closed).toEqual([]);

    // Again while the owner types a search (a screen reader's activation leaves the caret there): the caret stays.
    await article('c2').getByRole('button', { name: 'Close thread' }).click();
    await expect.element(article('c2').getByText('Thread closed')).toBeVisible();
    await page.getByLabelText('Search').fill('casino');
    api.failNext('PUT', 503, { code: 'internal', message: 'KV is down' });
    deepQuery<HTMLButtonElement>('.toast button.primary')!.click();
    await expect.element(article('c2').getByRole('alert')).toBeVisible();
    await expectFocus(page.getByLabelText('Search'));
    await expect.element(page.getByLabelText('Search')).toHaveValue('casino');
  });

  it('keeps a pin as the server has it when its Undo fails or is lost, and says so on the comment', async () => {
    await mountAdmin();
    const pinned = () => api.comments.find((comment) => comment.id === 'c3')!.pinned;
    await article('c3').getByRole('button', { name: 'Pin' }).click();
    await expect.element(article('c3').getByText('Pinned')).toBeVisible();

    // The unpin fails on the server: the comment still shows its pin and Unpin, says why (not "Undone."), and takes the
    // focus that went with the Undo button, to try again from there.
    api.failNext('POST', 503, { code: 'internal', message: 'KV is down' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect
      .element(article('c3').getByRole('alert'))
      .toHaveTextContent('Something went wrong on the server. Try again later.');
    await expect.element(page.getByRole('status').getByText('Undone.')).not.toBeInTheDocument();
    await expect.element(article('c3').getByText('Pinned')).toBeVisible();
    await expect.element(article('c3').getByRole('button', { name: 'Unpin' })).toBeVisible();
    await expectFocus(article('c3'));
    expect(pinned()).toBe(true);

    // Unpinned, and the pin its Undo sends back never arrives, while the owner types a search (a screen reader's
    // activation leaves the caret there): still unpinned, said so, and the caret stays.
    await article('c3').getByRole('button', { name: 'Unpin' }).click();
    await expect.element(article('c3').getByText('Pinned')).not.toBeInTheDocument();
    await page.getByLabelText('Search').fill('casino');
    api.gate = async () => {
      if (api.requests.at(-1)!.path.endsWith('/moderate')) throw new TypeError('Failed to fetch');
    };
    deepQuery<HTMLButtonElement>('.toast button.primary')!.click();
    await expect
      .element(article('c3').getByRole('alert'))
      .toHaveTextContent('Could not reach the server. Check your connection and try again.');
    await expect.element(page.getByRole('status').getByText('Undone.')).not.toBeInTheDocument();
    await expect.element(article('c3').getByRole('button', { name: 'Pin' })).toBeVisible();
    await expectFocus(page.getByLabelText('Search'));
    await expect.element(page.getByLabelText('Search')).toHaveValue('casino');
    expect(pinned()).toBe(false);
  });
});
