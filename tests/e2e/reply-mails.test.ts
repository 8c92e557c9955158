/**
 * End to end: reply mails on the real Worker (`wrangler dev`) with email on, its mail API a local server that keeps
 * what it is sent. A reader on a demo blog post ticks "Email me replies to this comment", posts, gets the confirmation
 * mail and confirms from it; another reader's reply waits for the owner, who approves it at /admin, and the first
 * reader is mailed it then.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { untilListed } from '../support/admin-page.js';
import { launchChromium, openThread } from '../support/browser.js';
import { startWorker, type RunningWorker } from '../support/worker.js';

/** A post of the demo blog (examples/blogger), with its comment thread. */
const POST_PATH = '/2026/11/morning-walk.html';
const eventually = { timeout: 20_000, interval: 250 };
/** The Worker refuses a comment sent sooner than 3 s after its form showed (a bot signal, worker/src/domain/spam.ts). */
const HUMAN_PAUSE_MS = 3_200;
const PASSWORD = 'e2e owner password';

interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

let worker: RunningWorker;
let browser: Browser;
let mailApi: Server;
const mails: Mail[] = [];

beforeAll(async () => {
  // Resend's request, as routes/email.ts sends it: `POST {from, to, subject, text, headers}`.
  mailApi = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      mails.push(JSON.parse(body) as Mail);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"captured"}');
    });
  });
  await new Promise<void>((listening) => mailApi.listen(0, '127.0.0.1', listening));
  const { port } = mailApi.address() as AddressInfo;
  [worker, browser] = await Promise.all([
    startWorker({
      EMAIL_API_KEY: 'e2e-key',
      EMAIL_FROM: 'Sala <comments@example.com>',
      EMAIL_API_URL: `http://127.0.0.1:${port}/emails`,
      ADMIN_PASSWORD: PASSWORD,
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await new Promise((closed) => mailApi?.close(closed));
});

async function openPost(): Promise<{ page: Page; thread: Locator }> {
  const page = await (await browser.newContext()).newPage();
  // The page's clock is Playwright's, so a reader's pause before writing takes no real time.
  await page.clock.install();
  return { page, thread: await openThread(page, worker.origin + POST_PATH) };
}

const mailsTo = (address: string) => mails.filter((mail) => mail.to.includes(address));

test('a reader asks for reply mails in the form, confirms from the mail, and is mailed a reply once approved', async () => {
  const { page, thread } = await openPost();
  await thread
    .getByLabel(/^comment/i)
    .first()
    .fill('When does the night market open?');
  const choice = thread.getByRole('checkbox', { name: 'Email me replies to this comment' });
  // Without an email it cannot be ticked, and says why.
  await expect.poll(() => choice.getAttribute('aria-disabled')).toBe('true');
  await thread.getByText('Add your email to get replies.').waitFor();
  await thread.getByLabel(/^name/i).first().fill('Dara');
  await thread
    .getByLabel(/^email/i)
    .first()
    .fill('dara@example.com');
  await choice.check();
  await page.clock.fastForward(HUMAN_PAUSE_MS);
  await thread.getByRole('button', { name: 'Post comment' }).click();

  const told = 'Check your inbox: open the link we emailed you to get replies to this comment.';
  const mine = thread.getByRole('article').filter({ hasText: 'When does the night market open?' });
  await mine.getByText(told).waitFor();
  await expect.poll(() => mailsTo('dara@example.com').length, eventually).toBe(1);
  const [confirmation] = mailsTo('dara@example.com');
  expect(confirmation!.subject).toContain('Confirm');
  const link = /http:\/\/127\.0\.0\.1:\d+\/api\/v1\/email-links\/\S+/.exec(confirmation!.text)![0];

  // The link opens a page whose button confirms.
  await page.goto(link);
  await page.getByRole('button').click();
  await page.waitForLoadState();
  expect(await page.locator('body').textContent()).toMatch(/confirmed/i);

  // The owner now holds every comment.
  const owner = await (await browser.newContext()).newPage();
  await owner.goto(worker.origin + '/admin');
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('link', { name: 'Settings' }).click();
  await owner.getByRole('radio', { name: 'Hold every comment' }).check();
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await owner.getByText('Settings saved.').waitFor();

  // Another reader answers; the reply waits, and Dara hears nothing until the owner approves it.
  const other = await openPost();
  const parent = other.thread.getByRole('article').filter({ hasText: 'When does the night market open?' });
  await expect.poll(() => parent.count(), eventually).toBe(1);
  await parent.getByRole('button', { name: 'Reply to Dara' }).click();
  await parent.getByLabel(/^comment/i).fill('It opens at five, Dara.');
  await parent.getByLabel(/^name/i).fill('Sokha');
  await other.page.clock.fastForward(HUMAN_PAUSE_MS);
  await parent.getByRole('button', { name: 'Post reply' }).click();
  const reply = other.thread.getByRole('article').filter({ hasText: 'It opens at five, Dara.' });
  await reply.getByText('Awaiting moderation').waitFor();
  expect(mailsTo('dara@example.com')).toHaveLength(1);
  await owner.getByRole('link', { name: 'Comments' }).click();
  const held = owner.getByRole('article', { name: 'Comment by Sokha' });
  await untilListed(owner, held);
  await held.getByRole('button', { name: 'Approve', exact: true }).click();
  await owner.getByText('1 comment approved.').waitFor();
  // Sent when the undo toast goes; dismissing it sends it now.
  await owner.getByRole('button', { name: 'Dismiss' }).click();
  await expect.poll(() => mailsTo('dara@example.com').length, eventually).toBe(2);
  const replyMail = mailsTo('dara@example.com')[1]!;
  expect(replyMail.subject).toContain('Sokha replied to your comment');
  expect(replyMail.text).toContain('It opens at five, Dara.');
  expect(replyMail.headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/api\/v1\/email-links\//);
});
