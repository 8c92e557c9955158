/** Webhooks (shapes, signature, retries, delivery records) and the one-click links they carry, offline. */
import {
  adminCommentHash,
  type WebhookDeliveryListResponse,
  type WebhookPayload,
  type WebhookSettings,
} from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { toHex } from '../domain/bytes.js';
import { IMMEDIATE_RETRY_DELAYS } from '../domain/webhooks.js';
import { commentFields, freshPage, rebuildsDone, send } from '../testing.js';
import { OWN_ORIGIN, TestSite } from '../testing-admin.js';
import { retryDeliveries } from './notifications.js';

const SECRET = 'a-webhook-secret-of-some-length';

interface Received {
  url: string;
  headers: Headers;
  body: string;
  /** When the Worker sent it (Date.now()). */
  at: number;
}

/** Intercepts the Worker's outgoing fetches; `answer` decides each response. */
function interceptFetch(answer: (received: Received) => number = () => 200): Received[] {
  const received: Received[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    const entry = { url: request.url, headers: request.headers, body: await request.text(), at: Date.now() };
    received.push(entry);
    return new Response('ok', { status: answer(entry) });
  });
  return received;
}

function hook(change: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    id: 'owner',
    url: 'https://hooks.example/sala',
    format: 'json',
    events: ['comment.created', 'comment.held', 'comment.approved'],
    secret: SECRET,
    ...change,
  };
}

async function expectedSignature(body: string, t: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)));
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('webhooks', () => {
  it('sends a signed JSON body with one-click links for a held comment, and records the delivery', async () => {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all', webhooks: [hook()] });
    const received = interceptFetch();
    const page = freshPage();
    const { comment } = await site.postOk(commentFields(page, { email: 'private@example.com' }), '2001:db8::77');
    await rebuildsDone();

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.url).toBe('https://hooks.example/sala');
    expect(delivery!.headers.get('Sala-Event')).toBe('comment.held');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery!.headers.get('Sala-Signature')!)!;
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(v1).toBe(await expectedSignature(delivery!.body, t!));

    const payload = JSON.parse(delivery!.body) as WebhookPayload;
    expect(payload).toMatchObject({
      event: 'comment.held',
      site: site.id,
      comment: { id: comment.id, status: 'pending', heldBecause: [{ code: 'hold-all' }] },
    });
    expect(payload.deliveryId).toBe(delivery!.headers.get('Sala-Delivery'));
    expect(payload.links!.approve).toMatch(new RegExp(`^${OWN_ORIGIN}/api/v1/moderation-links/`));
    // Private fields stay home.
    expect(delivery!.body).not.toContain('private@example.com');
    expect(delivery!.body).not.toContain('ipHash');

    const listed = await site.admin<WebhookDeliveryListResponse>('GET', '/deliveries');
    expect(listed.body.deliveries).toEqual([
      expect.objectContaining({
        webhookId: 'owner',
        event: 'comment.held',
        status: 'delivered',
        attempts: 1,
        httpStatus: 200,
      }),
    ]);
  });

  it('speaks Slack and Discord, without pings or markup from the comment', async () => {
    const site = await TestSite.create();
    await site.settings({
      moderation: 'hold-all',
      webhooks: [
        hook({ id: 'slack', format: 'slack' }),
        hook({ id: 'discord', format: 'discord', url: 'https://discord.example/x' }),
      ],
    });
    const received = interceptFetch();
    await site.postOk(commentFields(freshPage(), { name: '*Mallory*', body: '@everyone <!channel> free stuff here' }));
    await rebuildsDone();

    const slack = JSON.parse(received.find((entry) => entry.url.startsWith('https://hooks'))!.body) as { text: string };
    expect(slack.text).toContain('&lt;!channel&gt;');
    expect(slack.text).toContain('Held because: the site holds every comment');
    expect(slack.text).toMatch(/<https:\/\/sala\.test\/api\/v1\/moderation-links\/[^|]+\|Approve>/);
    const discord = JSON.parse(received.find((entry) => entry.url.startsWith('https://discord'))!.body) as {
      content: string;
      allowed_mentions: { parse: string[] };
    };
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.content).toContain('**\\*Mallory\\***');
    expect(discord.content).toContain('Held because: the site holds every comment');
    expect(discord.content).toContain('[Approve](<https://sala.test/api/v1/moderation-links/');
  });

  it('links a Blogger post where it is served, .html and all, in every format; a forged address is not used', async () => {
    const site = await TestSite.create();
    await site.settings({
      moderation: 'hold-all',
      webhooks: [
        hook(),
        hook({ id: 'slack', format: 'slack', url: 'https://slack.example/x' }),
        hook({ id: 'discord', format: 'discord', url: 'https://discord.example/x' }),
      ],
    });
    const received = interceptFetch();
    const post = `${freshPage()}.html`;
    const id = post.replace(/\.html$/, '');
    await site.postOk({ ...commentFields(`${post}?m=1`), pageUrl: `${post}?m=1` });
    await rebuildsDone();
    const body = (host: string) => received.find((entry) => entry.url.startsWith(host))!.body;
    expect((JSON.parse(body('https://hooks')) as WebhookPayload).comment).toMatchObject({ pageId: id, pageUrl: post });
    expect((JSON.parse(body('https://slack')) as { text: string }).text).toContain(
      `*Comment awaiting moderation* on ${post}\n`,
    );
    expect((JSON.parse(body('https://discord')) as { content: string }).content).toContain(`on <${post}>\n`);

    // The one-click page says where the comment is the same way.
    const { approve } = (JSON.parse(body('https://hooks')) as WebhookPayload).links!;
    const shown = await send('GET', new URL(approve).pathname, { origin: null, bindings: site.bindings });
    expect(shown.text).toContain(`on <bdi>${post}</bdi></p>`);

    received.length = 0;
    await site.postOk({ ...commentFields(`${post}`), pageUrl: 'https://evil.example/phish.html' });
    await rebuildsDone();
    const forged = JSON.parse(body('https://hooks')) as WebhookPayload;
    expect(forged.comment.pageUrl).toBeUndefined();
    expect(received.map((entry) => entry.body).join('\n')).not.toContain('evil.example');
  });

  it('tells only the webhooks that asked for the event: created for a published comment, approved on approval', async () => {
    const site = await TestSite.create();
    await site.settings({
      moderation: 'hold-first-time',
      webhooks: [
        hook({ id: 'approvals', events: ['comment.approved'] }),
        hook({ id: 'all', url: 'https://all.example/' }),
      ],
    });
    const received = interceptFetch();
    const page = freshPage();
    // The second comment comes from the same browser as the approved first, so it is published at once.
    const commenterKey = 'the-same-browser-both-times';
    const first = await site.postOk(commentFields(page, { commenterKey }));
    await rebuildsDone();
    await site.moderate('approve', [{ page, id: first.comment.id }]);
    await rebuildsDone();
    await site.postOk(commentFields(page, { commenterKey }));
    await rebuildsDone();
    const events = received.map((entry) => `${new URL(entry.url).host} ${entry.headers.get('Sala-Event')}`);
    expect(events).toEqual([
      'all.example comment.held',
      expect.stringMatching(/ comment\.approved$/),
      expect.stringMatching(/ comment\.approved$/),
      'all.example comment.created',
    ]);
  });

  it('retries a failed delivery at once, then by cron, and records each outcome', async () => {
    const site = await TestSite.create();
    await site.settings({ webhooks: [hook()] });
    let answers = [500, 200];
    const received = interceptFetch(() => answers.shift() ?? 503);
    await site.postOk(commentFields(freshPage()));
    await rebuildsDone();
    expect(received).toHaveLength(2);
    let deliveries = (await site.admin<WebhookDeliveryListResponse>('GET', '/deliveries')).body.deliveries;
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });

    // Down for every immediate attempt: each retry waits its delay (a second and four in production, nothing in the
    // tests' setup, short ones here), then the delivery is left for the cron, which delivers it on its next run.
    expect(IMMEDIATE_RETRY_DELAYS.ms).toEqual([0, 0]);
    onTestFinished(() => void (IMMEDIATE_RETRY_DELAYS.ms = [0, 0]));
    IMMEDIATE_RETRY_DELAYS.ms = [100, 200];
    answers = [502, 502, 502];
    await site.postOk(commentFields(freshPage()));
    await rebuildsDone();
    deliveries = (await site.admin<WebhookDeliveryListResponse>('GET', '/deliveries')).body.deliveries;
    expect(deliveries[0]).toMatchObject({ status: 'retrying', attempts: 3, httpStatus: 502 });
    const [first, second, third] = received.slice(-3).map((request) => request.at);
    expect(second! - first!).toBeGreaterThanOrEqual(100);
    expect(third! - second!).toBeGreaterThanOrEqual(200);

    answers = [200];
    expect(await retryDeliveries({ ...site.bindings })).toMatchObject({ delivered: 1 });
    deliveries = (await site.admin<WebhookDeliveryListResponse>('GET', '/deliveries')).body.deliveries;
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 4 });
    // Nothing left to retry, and the retried body is signed afresh over the same bytes.
    expect(await retryDeliveries({ ...site.bindings })).toMatchObject({ retried: 0 });
    expect(received[received.length - 1]!.body).toBe(received[received.length - 2]!.body);
  });
});

describe('one-click links', () => {
  async function heldWithLinks(name?: string): Promise<{
    site: TestSite;
    page: string;
    id: string;
    links: { approve: string; reject: string };
  }> {
    const site = await TestSite.create();
    await site.settings({ moderation: 'hold-all', webhooks: [hook()] });
    const received = interceptFetch();
    const page = freshPage();
    const { comment } = await site.postOk(
      commentFields(page, { body: 'Please <b>approve</b> me', ...(name !== undefined ? { name } : {}) }),
    );
    await rebuildsDone();
    const payload = JSON.parse(received[0]!.body) as WebhookPayload;
    return { site, page, id: comment.id, links: payload.links! };
  }

  const path = (link: string) => new URL(link).pathname;
  const open = (link: string, bindings: Env) => send('GET', path(link), { origin: null, bindings });
  const press = (link: string, bindings: Env) => send('POST', path(link), { origin: OWN_ORIGIN, bindings });

  it('shows what it will do on GET and changes nothing; the page’s button approves once', async () => {
    const { site, page, id, links } = await heldWithLinks();
    const shown = await open(links.approve, site.bindings);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(shown.text).toContain('<form method="post">');
    expect(shown.text).toContain('Please &#60;b&#62;approve&#60;/b&#62; me');
    expect(shown.text).not.toContain('<b>approve</b>');
    expect((await site.queue('pending')).comments.map((comment) => comment.id)).toEqual([id]);

    const done = await press(links.approve, site.bindings);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Approved');
    expect((await site.thread(page)).comments.map((comment) => comment.id)).toEqual([id]);

    const again = await press(links.approve, site.bindings);
    expect(again.status).toBe(410);
    expect(again.text).toContain('already used');
    expect((await open(links.approve, site.bindings)).status).toBe(410);
  });

  it('approves only the text its page showed: edited since, nothing changes and the link still works', async () => {
    const { site, page, id, links } = await heldWithLinks();
    const shown = await open(links.approve, site.bindings);
    const seen = /name="seen" value="([^"]*)"/.exec(shown.text)?.[1];
    expect(seen).toBe('');
    await site.admin('PATCH', `/comments/${id}`, { json: { page, body: 'Edited after the page was shown' } });
    const submit = (value: string) =>
      send('POST', path(links.approve), {
        origin: OWN_ORIGIN,
        bindings: site.bindings,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ seen: value }).toString(),
      });

    const refused = await submit(seen!);
    expect([refused.status, refused.text]).toEqual([409, expect.stringContaining('Edited since you read it')]);
    expect((await site.thread(page)).comments).toEqual([]);
    // Opened again, the page shows the new text, and its button approves it.
    const reopened = await open(links.approve, site.bindings);
    expect(reopened.text).toContain('Edited after the page was shown');
    const done = await submit(/name="seen" value="([^"]*)"/.exec(reopened.text)![1]!);
    expect(done.status).toBe(200);
    expect((await site.thread(page)).comments.map((comment) => comment.id)).toEqual([id]);
  });

  it('speaks the owner’s language, the refusal of an edited comment too, and leads back to the held comments', async () => {
    const { site, page, id, links } = await heldWithLinks();
    const khmer = { 'Accept-Language': 'sw-KE, km-KH;q=0.9, en;q=0.8' };
    const shown = await send('GET', path(links.approve), { origin: null, bindings: site.bindings, headers: khmer });
    expect(shown.text).toContain('<html lang="km">');
    expect(shown.text).toContain('<title>អនុម័តមតិយោបល់នេះឬ? · Sala</title>');
    expect(shown.text).toContain('<button type="submit">អនុម័ត</button>');
    expect(shown.headers.get('Vary')).toContain('Accept-Language');

    await site.admin('PATCH', `/comments/${id}`, { json: { page, body: 'Edited after the page was shown' } });
    const refused = await send('POST', path(links.approve), {
      origin: OWN_ORIGIN,
      bindings: site.bindings,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'ja;q=0.5, vi' },
      body: new URLSearchParams({ seen: '' }).toString(),
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('<html lang="vi">');
    expect(refused.text).toContain('<h1>Đã được sửa sau khi bạn đọc</h1>');
    expect(refused.text).toContain('>Mở bình luận này trên trang quản trị</a>');

    // German, French, Spanish and Portuguese are the admin page's too.
    const german = await send('GET', path(links.approve), {
      origin: null,
      bindings: site.bindings,
      headers: { 'Accept-Language': 'de-DE, fr;q=0.9' },
    });
    expect(german.text).toContain('<html lang="de">');
    expect(german.text).toContain('<button type="submit">Freigeben</button>');

    // A browser in none of the admin page's languages reads English.
    const english = await send('GET', path(links.approve), {
      origin: null,
      bindings: site.bindings,
      headers: { 'Accept-Language': 'sw-KE, he;q=0.9' },
    });
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('<h1>Approve this comment?</h1>');
  });

  it('names the commenter as typed, isolated: a `$&` in a name is text, not the sentence’s placeholder', async () => {
    const { site, links } = await heldWithLinks('Tom $& Jerry');
    const shown = await open(links.approve, site.bindings);
    expect(shown.text).toContain('<strong><bdi>Tom $&#38; Jerry</bdi></strong>');
    expect(shown.text).not.toContain('{name}');
  });

  it('rejects with the reject link', async () => {
    const { site, id, links } = await heldWithLinks();
    expect((await press(links.reject, site.bindings)).status).toBe(200);
    expect((await site.queue('rejected')).comments.map((comment) => comment.id)).toEqual([id]);
  });

  it('links to the comment on the admin page: its post’s held list before, the list it went to after', async () => {
    const { site, page, id, links } = await heldWithLinks();
    /** The admin page's address a page links to, its href unescaped, and the link's words. */
    const adminLink = (html: string) =>
      /<a href="(\/admin#[^"]*)">([^<]*)<\/a>/
        .exec(html)!
        .slice(1)
        .map((text) => text.replaceAll('&#38;', '&'));
    const at = { site: site.id, pageId: page, commentId: id };

    expect(adminLink((await open(links.reject, site.bindings)).text)).toEqual([
      `/admin${adminCommentHash({ ...at, status: 'pending' })}`,
      'Open this comment on the admin page',
    ]);
    expect(adminLink((await press(links.reject, site.bindings)).text)).toEqual([
      `/admin${adminCommentHash({ ...at, status: 'rejected' })}`,
      'Open this comment on the admin page',
    ]);
    // A used link knows no comment any more: the held comments.
    expect(adminLink((await open(links.reject, site.bindings)).text)).toEqual([
      '/admin#comments',
      'Open the comments on the admin page',
    ]);
  });

  it('refuses a tampered link and an expired one', async () => {
    const { site, id, links } = await heldWithLinks();
    const token = path(links.approve).split('/').pop()!;
    const [claims, signature] = token.split('.') as [string, string];
    const flipped = `${claims.slice(0, 10)}${claims[10] === 'A' ? 'B' : 'A'}${claims.slice(11)}.${signature}`;
    for (const forged of [flipped, `${claims}.${signature.slice(0, -2)}xx`, claims, 'garbage']) {
      const sent = await send('POST', `/api/v1/moderation-links/${forged}`, {
        origin: OWN_ORIGIN,
        bindings: site.bindings,
      });
      expect(sent.status).toBe(400);
    }

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 8 * 24 * 60 * 60 * 1000);
    const late = await press(links.approve, site.bindings);
    expect(late.status).toBe(410);
    expect(late.text).toContain('expired');
    vi.useRealTimers();
    expect((await site.queue('pending')).comments.map((comment) => comment.id)).toEqual([id]);
  });

  it('is not a way around the secret: a link signed with another secret is refused', async () => {
    const { site, links } = await heldWithLinks();
    const sent = await send('POST', path(links.approve), {
      origin: OWN_ORIGIN,
      bindings: { ...site.bindings, SALA_SECRET: 'another-deployment' },
    });
    expect(sent.status).toBe(400);
    expect(env.SALA_SECRET).not.toBe('another-deployment');
  });
});
