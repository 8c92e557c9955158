/**
 * End to end: the site owner at /admin on the real Worker (`wrangler dev`) and readers on a demo blog post, in
 * Chromium. The owner holds every comment; a reader's comment waits, marked so for its author and unseen by a
 * second reader, until the owner approves it; then the owner bans the reader, whose next comment is refused.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { untilListed } from '../support/admin-page.js';
import { launchChromium, openThread } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

const PASSWORD = 'e2e owner password';
/** A post of the demo blog (examples/blogger), with its comment thread. */
const POST_PATH = '/2026/11/morning-walk.html';
/** The server's lists and threads lag a write by a rebuild or a KV list (a second or two locally), so reads poll. */
const eventually = { timeout: 20_000, interval: 500 };
/** The Worker refuses a comment sent sooner than 3 s after its form showed (a bot signal, worker/src/domain/spam.ts). */
const HUMAN_PAUSE_MS = 3_200;

let worker: RunningWorker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startWorker({ ADMIN_PASSWORD: PASSWORD }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/**
 * A page that records script errors, Content-Security-Policy refusals and any request leaving the Worker's origin;
 * its browser prefers `locale`, or Chromium's own.
 */
async function watchedPage(locale?: string): Promise<{ page: Page; failures: string[] }> {
  const context = await browser.newContext(locale ? { locale } : {});
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) failures.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(worker.origin)) failures.push(`third-party request: ${request.url()}`);
  });
  return { page, failures };
}

/** A reader's page: its clock is Playwright's, so their pause before writing (postComment) takes no real time. */
async function readerPage(): Promise<{ page: Page; failures: string[] }> {
  const watched = await watchedPage();
  await watched.page.clock.install();
  return watched;
}

const openPost = (page: Page): Promise<Locator> => openThread(page, worker.origin + POST_PATH);

async function postComment(
  page: Page,
  thread: Locator,
  fields: { name?: string; email?: string; body: string },
): Promise<void> {
  await page.clock.fastForward(HUMAN_PAUSE_MS);
  // The text first: starting on it opens the form, whose name and email come after it.
  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill(fields.body);
  if (fields.name) await thread.getByLabel(/^name/i).first().fill(fields.name);
  if (fields.email)
    await thread
      .getByLabel(/^email/i)
      .first()
      .fill(fields.email);
  await thread
    .getByRole('button', { name: /post comment/i })
    .first()
    .click();
}

test('the owner holds, approves and bans from /admin, and readers see each decision', async () => {
  // The owner's browser prefers British English: the admin page speaks English, with British dates.
  const { page: owner, failures: ownerFailures } = await watchedPage('en-GB');
  await owner.goto(worker.origin + '/admin');
  // Static assets serve folder/index.html at the folder's address: /admin answers with a redirect to /admin/.
  expect(new URL(owner.url()).pathname).toBe('/admin/');
  await owner.getByLabel('Password').fill('not it');
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByText('That password is not right.').waitFor();
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('heading', { name: 'Comments', level: 2 }).waitFor();

  await owner.getByRole('link', { name: 'Settings' }).click();
  await owner.getByRole('radio', { name: 'Hold every comment' }).check();
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await owner.getByText('Settings saved.').waitFor();

  // A reader comments; the thread keeps it for them, marked as waiting.
  const { page: reader, failures: readerFailures } = await readerPage();
  const thread = await openPost(reader);
  const first = 'Is the num banh chok stall there on Sundays too?';
  await postComment(reader, thread, { name: 'Dara', email: 'dara@example.com', body: first });
  const own = thread.getByRole('article').filter({ hasText: first });
  await expect.poll(() => own.getByText('Awaiting moderation').count(), eventually).toBe(1);

  // Another reader does not see it.
  const { page: other } = await readerPage();
  const otherThread = await openPost(other);
  expect(await otherThread.getByText(first).count()).toBe(0);

  // The owner finds it in the queue, with why it was held, and approves it.
  await owner.getByRole('link', { name: 'Comments' }).click();
  const held = owner.getByRole('article', { name: 'Comment by Dara' });
  await untilListed(owner, held);
  await expect.poll(() => held.getByRole('heading', { name: 'Why it was held' }).count()).toBe(1);
  await expect.poll(() => held.getByText('The site holds every comment').count()).toBe(1);
  // Its page is linked at the address the reader had, with `.html`: the thread's id drops it, and Blogger serves
  // only `slug.html`.
  const onPage = held.getByRole('link', { name: worker.origin + POST_PATH });
  expect(await onPage.getAttribute('href')).toBe(worker.origin + POST_PATH);
  await held.getByRole('button', { name: 'Approve', exact: true }).click();
  await owner.getByText('1 comment approved.').waitFor();
  // Sent when the undo toast goes; dismissing it sends it now.
  await owner.getByRole('button', { name: 'Dismiss' }).click();

  // The other reader sees it once the post's thread is rebuilt, so they reload until then, as a person would.
  const shownToTheOther = async (text: string) => {
    await other.reload();
    await otherThread
      .getByLabel(/^comment/i)
      .first()
      .waitFor();
    return otherThread.getByText(text).count();
  };
  await expect.poll(() => shownToTheOther(first), eventually).toBe(1);

  // Another held comment is answered with "Approve and reply": the server takes replies to approved comments
  // only, so the page approves it first; readers then see it with the owner's reply.
  const question = 'Do the boats still run in the rainy season?';
  await postComment(other, otherThread, { name: 'Sokha', email: 'sokha@example.com', body: question });
  const asked = owner.getByRole('article', { name: 'Comment by Sokha' });
  await untilListed(owner, asked);
  await asked.getByRole('button', { name: 'Approve and reply' }).click();
  await owner.getByLabel('Your reply to Sokha').fill('They do, every morning at seven.');
  await asked.getByRole('button', { name: 'Approve and publish reply' }).click();
  await owner.getByText('Comment approved and reply published.').waitFor();
  await expect.poll(() => shownToTheOther('They do, every morning at seven.'), eventually).toBe(1);
  expect(await otherThread.getByText(question).count()).toBe(1);

  // The owner bans the commenter; their next comment is refused with a message saying so.
  await owner.getByRole('button', { name: /^Approved/ }).click();
  const approved = owner.getByRole('article', { name: 'Comment by Dara' });
  await untilListed(owner, approved);
  await approved.getByRole('button', { name: 'Ban…' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Ban Dara' });
  await expect
    .poll(() => dialog.getByRole('radio', { name: 'Email address (dara@example.com)' }).isChecked())
    .toBe(true);
  await dialog.getByLabel('For').selectOption({ label: '1 day' });
  await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
  await owner.getByText(/^dara@example\.com banned until \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d/).waitFor();

  await openPost(reader);
  await postComment(reader, thread, {
    name: 'Dara',
    email: 'dara@example.com',
    body: 'One more question about the boats.',
  });
  await expect.poll(() => thread.getByText('You can no longer comment on this site.').count(), eventually).toBe(1);

  // axe on the admin page, queue showing. The page's CSP refuses inline scripts, so addScriptTag({ content }) is
  // blocked; source evaluated through the DevTools protocol is not a page script and runs.
  await owner.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await owner.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
    };
    const results = await axe.run();
    return results.violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
  });
  expect(violations).toEqual([]);

  expect(ownerFailures).toEqual([]);
  expect(readerFailures).toEqual([]);
});

test('an owner whose browser prefers Arabic gets the page in Arabic, right to left, its title included', async () => {
  const { page: owner, failures } = await watchedPage('ar-EG');
  await owner.goto(worker.origin + '/admin');
  await owner.getByRole('button', { name: 'تسجيل الدخول' }).waitFor();
  await expect.poll(() => owner.title(), eventually).toBe('إدارة Sala');
  // The whole page mirrors, its scrollbar and the browser's own bubbles too, not only <sala-admin>.
  expect(await owner.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
    'ar-EG',
    'rtl',
  ]);
  expect(failures).toEqual([]);
});

test('an owner whose browser prefers Indonesian gets the page, its title included, in Indonesian', async () => {
  const { page: owner, failures } = await watchedPage('id-ID');
  await owner.goto(worker.origin + '/admin');
  await owner.getByRole('button', { name: 'Masuk' }).waitFor();
  // The browser's tab and a screen reader's name for the page say it too, not "Sala admin".
  await expect.poll(() => owner.title(), eventually).toBe('Admin Sala');
  expect(failures).toEqual([]);
});
