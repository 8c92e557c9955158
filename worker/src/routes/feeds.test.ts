/**
 * The Atom feeds, read as a feed reader reads them: parsed with real XML parsers, checked for what RFC 4287
 * requires, for escaped comment text (every line of the XSS corpus), and for emails, which never appear.
 */
import payloads from '@sala-fixtures/xss/payloads-all-the-things.txt?raw';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import type { ApiErrorBody, PublicComment } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { THREAD_FEED_ENTRIES } from '../domain/atom-feed.js';
import type { ThreadSnapshot } from '../domain/thread.js';
import { pageRef } from '../storage/keys.js';
import { ThreadStore } from '../storage/threads.js';
import { commentFields, countingKv, freshPage, rebuildsDone, send } from '../testing.js';
import { at, freshSite, isolate, runCron, serveBlog, type Isolate } from '../testing-views.js';

const ATOM = 'http://www.w3.org/2005/Atom';
const POST = 'https://blog.example.com/2030/01/angkor';

interface AtomEntry {
  id: string;
  title: string;
  author: { name: string };
  published: string;
  updated: string;
  link?: { rel: string; href: string };
  content: { type: string; text: string };
}

interface AtomFeed {
  id: string;
  title: string;
  updated: string;
  links: { rel: string; href: string; type?: string }[];
  entries: AtomEntry[];
}

/** The feed as a namespace-aware DOM parser reads it, asserting the elements RFC 4287 requires on the way. */
function readAtom(text: string): AtomFeed {
  expect(XMLValidator.validate(text)).toBe(true);
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const feed = document.documentElement!;
  expect([feed.namespaceURI, feed.localName]).toEqual([ATOM, 'feed']);
  const children = (parent: XmlElement, name: string): XmlElement[] =>
    Array.from(parent.childNodes).filter(
      (node): node is XmlElement =>
        node.nodeType === 1 && (node as XmlElement).namespaceURI === ATOM && (node as XmlElement).localName === name,
    );
  const one = (parent: XmlElement, name: string): string => {
    const found = children(parent, name);
    expect(found, `exactly one atom:${name}`).toHaveLength(1);
    return found[0]!.textContent ?? '';
  };
  const isUri = (value: string) => expect(value).toMatch(/^(urn:uuid:[0-9a-f-]{36}|tag:.+)$/);
  const isDate = (value: string) => expect(Number.isNaN(Date.parse(value))).toBe(false);
  const links = (parent: XmlElement) =>
    children(parent, 'link').map((link) => ({
      rel: link.getAttribute('rel') ?? 'alternate',
      href: link.getAttribute('href') ?? '',
      type: link.getAttribute('type') ?? undefined,
    }));

  const parsed: AtomFeed = {
    id: one(feed, 'id'),
    title: one(feed, 'title'),
    updated: one(feed, 'updated'),
    links: links(feed),
    entries: children(feed, 'entry').map((entry) => {
      const content = children(entry, 'content')[0]!;
      const author = children(entry, 'author');
      expect(author).toHaveLength(1);
      const link = links(entry)[0];
      return {
        id: one(entry, 'id'),
        title: one(entry, 'title'),
        author: { name: one(author[0]!, 'name') },
        published: one(entry, 'published'),
        updated: one(entry, 'updated'),
        ...(link ? { link } : {}),
        content: { type: content.getAttribute('type') ?? 'text', text: content.textContent ?? '' },
      };
    }),
  };
  isUri(parsed.id);
  isDate(parsed.updated);
  expect(children(feed, 'author')).toHaveLength(1);
  for (const entry of parsed.entries) {
    isUri(entry.id);
    isDate(entry.published);
    isDate(entry.updated);
  }
  // fast-xml-parser agrees on the entry count (a second, independent parser).
  const other = new XMLParser({ ignoreAttributes: false }).parse(text) as { feed: { entry?: unknown } };
  const entries = other.feed.entry;
  expect(entries === undefined ? 0 : Array.isArray(entries) ? entries.length : 1).toBe(parsed.entries.length);
  return parsed;
}

function feed(target: Isolate, query = '', headers: Record<string, string> = {}, bindings = target.site.bindings) {
  return send<ApiErrorBody>('GET', `/api/v1/feeds/${target.site.id}/comments.atom${query}`, {
    worker: target.worker,
    bindings,
    origin: null,
    headers,
  });
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('GET /api/v1/feeds/:site/comments.atom', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    serveBlog({ [POST]: { title: 'Angkor at dawn' } });
  });

  it('lists the site’s latest approved comments as valid Atom, text as escaped HTML, names but never emails', async () => {
    const target = isolate(freshSite());
    const other = `${POST}-2`;
    for (const [minute, page, body] of [
      [1, POST, 'Lovely **photos** <script>alert(1)</script> [more](https://example.com/more)'],
      [2, other, 'Second post, _quietly_'],
    ] as const) {
      vi.setSystemTime(at(10, minute));
      const sent = await send('POST', `/api/v1/comments?site=${target.site.id}`, {
        json: commentFields(page, {
          body,
          name: `Reader ${minute}`,
          email: `reader${minute}@private.example`,
          pageUrl: `${page}.html`,
        }),
        bindings: target.site.bindings,
        worker: target.worker,
      });
      expect(sent.status).toBe(201);
    }
    await rebuildsDone();
    await runCron(target, at(10, 30)); // the recent-comments run (domain/cron-schedule.ts)

    const sent = await feed(target);
    expect(sent.status).toBe(200);
    expect(sent.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    expect(sent.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(sent.text).not.toContain('@private.example');
    const atom = readAtom(sent.text);
    expect(atom.title).toBe('Comments on Test blog');
    expect(atom.links).toEqual(
      expect.arrayContaining([
        {
          rel: 'self',
          type: 'application/atom+xml',
          href: `https://sala.test/api/v1/feeds/${target.site.id}/comments.atom`,
        },
        { rel: 'alternate', type: 'text/html', href: 'http://localhost:5173/' },
      ]),
    );
    expect(atom.updated).toBe(new Date(at(10, 2)).toISOString());
    expect(atom.entries.map((entry) => [entry.author.name, entry.published])).toEqual([
      ['Reader 2', new Date(at(10, 2)).toISOString()],
      ['Reader 1', new Date(at(10, 1)).toISOString()],
    ]);
    const [, first] = atom.entries;
    // Without view counts the cron knows no title: the page's address names it.
    expect(first!.title).toBe(`Reader 1 on ${POST}.html`);
    expect(first!.link!.href).toMatch(new RegExp(`^${POST}(\\.html)?#comment-[0-9A-Z]{26}$`));
    expect(first!.content).toEqual({
      type: 'html',
      text:
        '<p>Lovely <strong>photos</strong> &lt;script&gt;alert(1)&lt;/script&gt; ' +
        '<a href="https://example.com/more" rel="nofollow ugc noopener noreferrer">more</a></p>',
    });
    // A comment keeps its id in every feed it is in: a reader of both feeds must not see it as two comments.
    const thread = readAtom((await feed(target, `?page=${encodeURIComponent(POST)}`)).text);
    expect(thread.entries.map((entry) => entry.id)).toEqual([first!.id]);
  });

  it('answers 304 to a reader whose copy is current, after at most one KV read', async () => {
    const target = isolate(freshSite());
    vi.setSystemTime(at(11, 0));
    const page = freshPage();
    await send('POST', `/api/v1/comments?site=${target.site.id}`, {
      json: commentFields(page),
      bindings: target.site.bindings,
      worker: target.worker,
    });
    await rebuildsDone();
    const first = await feed(target, `?page=${encodeURIComponent(page)}`);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const counted = countingKv(env.SALA);
    const again = await feed(
      target,
      `?page=${encodeURIComponent(page)}`,
      { 'If-None-Match': etag },
      {
        ...target.site.bindings,
        SALA: counted.kv,
      },
    );
    expect([again.status, again.text]).toEqual([304, '']);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(counted.calls.filter((call) => call.method === 'get').length).toBeLessThanOrEqual(1);
    expect(counted.calls.filter((call) => call.method !== 'get')).toEqual([]);
  });

  it('gives a thread its own feed linking each comment on its page, and a page without comments an empty one', async () => {
    const target = isolate(freshSite());
    vi.setSystemTime(at(12, 0));
    const page = freshPage();
    const parent = await send<{ comment: PublicComment }>('POST', `/api/v1/comments?site=${target.site.id}`, {
      json: commentFields(page, { body: 'First', pageUrl: `${page}.html` }),
      bindings: target.site.bindings,
      worker: target.worker,
    });
    vi.setSystemTime(at(12, 5));
    await send('POST', `/api/v1/comments?site=${target.site.id}`, {
      json: commentFields(page, { body: 'A reply', parentId: parent.body.comment.id, pageUrl: `${page}.html` }),
      bindings: target.site.bindings,
      worker: target.worker,
    });
    await rebuildsDone();

    const atom = readAtom((await feed(target, `?page=${encodeURIComponent(`${page}?m=1`)}`)).text);
    expect(atom.title).toBe(`Comments on ${page}.html`);
    expect(atom.links).toContainEqual({ rel: 'alternate', type: 'text/html', href: `${page}.html` });
    expect(atom.links).toContainEqual({
      rel: 'self',
      type: 'application/atom+xml',
      href: `https://sala.test/api/v1/feeds/${target.site.id}/comments.atom?page=${encodeURIComponent(page)}`,
    });
    expect(atom.entries.map((entry) => entry.content.text)).toEqual(['<p>A reply</p>', '<p>First</p>']);
    expect(atom.entries[1]!.link!.href).toBe(`${page}.html#comment-${parent.body.comment.id}`);

    const empty = readAtom((await feed(target, `?page=${encodeURIComponent(freshPage('nobody'))}`)).text);
    expect(empty.entries).toEqual([]);
    expect(empty.updated).toBe('1970-01-01T00:00:00.000Z');
  });

  it('links no comment to a page off the site: a script can post to https://spam.example/… under publish', async () => {
    const target = isolate(freshSite());
    vi.setSystemTime(at(12, 0));
    const spam = 'https://spam.example/cheap-pills';
    const posted = await send('POST', `/api/v1/comments?site=${target.site.id}`, {
      json: commentFields(spam, { body: 'Great deals', pageUrl: `${spam}.html` }),
      bindings: target.site.bindings,
      worker: target.worker,
    });
    expect(posted.status).toBe(201);
    await rebuildsDone();
    await runCron(target, at(12, 30)); // builds the recent comments, which the site feed reads

    const thread = readAtom((await feed(target, `?page=${encodeURIComponent(spam)}`)).text);
    expect(thread.entries).toHaveLength(1);
    expect(thread.entries[0]!.link).toBeUndefined();
    expect(thread.links.map((link) => link.rel)).toEqual(['self']);
    const site = readAtom((await feed(target)).text);
    expect(site.entries.map((entry) => [entry.title, entry.link])).toEqual([[`Dara on ${spam}`, undefined]]);
  });

  it('answers an unknown site and a bad page with the usual error JSON', async () => {
    const unknown = await send<ApiErrorBody>('GET', '/api/v1/feeds/no-such-site/comments.atom', { origin: null });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'unknown_site']);
    const target = isolate(freshSite());
    const badPage = await feed(target, '?page=');
    expect([badPage.status, badPage.body.error.field]).toEqual([400, 'page']);
  });
});

describe('comment text in feeds', () => {
  /** Tags the feed's HTML may hold: what the widget renders. */
  const RENDERED = /<\/?(p|br|em|strong|code|pre|a|blockquote|ul|ol|li)(\s[^<>]*)?>/g;

  it('carries every line of the XSS corpus as text: no markup but the renderer’s own, links only to http(s)', async () => {
    const site = freshSite();
    const target = isolate(site);
    const lines = payloads.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(100);
    const store = new ThreadStore(env.SALA);
    const checked: string[] = [];
    for (let start = 0; start < lines.length; start += THREAD_FEED_ENTRIES) {
      const pageId = freshPage('xss');
      const comments: PublicComment[] = lines.slice(start, start + THREAD_FEED_ENTRIES).map((body, i) => ({
        id: `01JD${String(start + i).padStart(22, '0')}`,
        parentId: null,
        author: { name: body.slice(0, 64), avatar: 'seed' },
        body,
        createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, start + i)).toISOString(),
      }));
      const snapshot: ThreadSnapshot = { pageId, total: comments.length, comments, builtAt: new Date().toISOString() };
      await store.write(await pageRef(site.id, pageId), snapshot);

      const sent = await feed(target, `?page=${encodeURIComponent(pageId)}`);
      expect(sent.status).toBe(200);
      const atom = readAtom(sent.text);
      expect(atom.entries).toHaveLength(comments.length);
      for (const entry of atom.entries) {
        const html = entry.content.text;
        for (const [, , attributes] of html.matchAll(RENDERED)) {
          if (attributes)
            expect(attributes).toMatch(
              /^ href="https?:\/\/[^"]*" rel="nofollow ugc noopener noreferrer"$|^ start="\d+"$/,
            );
        }
        // Outside the renderer's own tags, no `<` is left to open one: a reader's HTML parser sees only text.
        expect(html.replace(RENDERED, '')).not.toContain('<');
        checked.push(html);
      }
    }
    expect(checked).toHaveLength(lines.length);
    expect(checked.some((html) => html.includes('&lt;script&gt;'))).toBe(true);
  });
});
