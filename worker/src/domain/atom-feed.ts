/**
 * Atom 1.0 feeds (RFC 4287) of a site's latest comments and of one thread, built from the one KV document each
 * already has (the recent-comments document, the page's snapshot). Comment text is rendered from the Markdown
 * AST to escaped HTML (comment-html.ts); authors are named, never emailed; nothing here reads KV.
 */
import { withoutBidiControls, type PublicComment } from '@sala/protocol';
import { sha256Hex } from './bytes.js';
import { commentHtml, escapeHtml, feedText } from './comment-html.js';
import { addressOnSite } from './page-address.js';
import type { RecentCommentsDocument, RecentDocumentComment } from './recent-comments.js';
import type { ThreadSnapshot } from './thread.js';

/** Entries in a thread's feed: its newest comments, as many as the site feed has (CPU: see `FEED_TEXT_CHARS`). */
export const THREAD_FEED_ENTRIES = 20;

/** Bumped when the markup changes, so ETags of older renderings stop matching. */
const FEED_FORMAT = 1;

export interface FeedEntry {
  id: string;
  title: string;
  authorName: string;
  published: string;
  updated: string;
  /** The comment on its page (`#comment-{id}`, the id the widget gives it), when the page has a web address. */
  link?: string;
  /** Escaped HTML of the comment. */
  html: string;
}

export interface Feed {
  id: string;
  title: string;
  updated: string;
  selfUrl: string;
  /** The blog (site feed) or the post (thread feed), when its address is known. */
  alternateUrl?: string;
  /** Who the feed is by: the site's name. */
  authorName: string;
  entries: FeedEntry[];
}

/** What a feed is made of, besides its document: the site, and the feed's own address. */
export interface FeedSource {
  site: { id: string; name: string; origins: string[] };
  selfUrl: string;
}

// Characters XML 1.0 cannot carry at all, even escaped: C0 controls but tab and newlines, U+FFFE/U+FFFF, and
// halves of surrogate pairs. A comment that smuggled one in must not make the whole feed unreadable.
// eslint-disable-next-line no-control-regex
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xml(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''));
}

/**
 * A stable id that is a valid URI whatever address the Worker is served from: a name-based UUID (version 8)
 * from the SHA-256 of what it names, so the same comment keeps its id in every rendering.
 */
export async function feedUuid(name: string): Promise<string> {
  const hex = (await sha256Hex(`sala:${name}`)).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An http(s) address with the comment's anchor, or undefined for a page id that is not a web address. */
export function commentLink(pageAddress: string | undefined, commentId: string): string | undefined {
  if (pageAddress === undefined || !/^https?:\/\//i.test(pageAddress)) return undefined;
  try {
    const url = new URL(pageAddress);
    url.hash = `comment-${commentId}`;
    return url.href;
  } catch {
    return undefined;
  }
}

/** The blog's address: the site's first origin that names one host (not a pattern). */
function siteAddress(origins: readonly string[]): string | undefined {
  const origin = origins.find((candidate) => !candidate.includes('*'));
  return origin === undefined ? undefined : `${origin}/`;
}

/** When the newest entry was written or edited; for a feed without entries, when its document was built. */
function newest(entries: readonly FeedEntry[], builtAt: string | undefined): string {
  if (entries.length === 0) return builtAt ?? new Date(0).toISOString();
  return entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), entries[0]!.updated);
}

async function recentEntry(site: string, comment: RecentDocumentComment): Promise<FeedEntry> {
  // The document links a page only on the site's origins (domain/recent-comments.ts): never the bare page id.
  const address = comment.page?.url ?? comment.pageUrl;
  const link = commentLink(address, comment.id);
  // Without the bidi controls an imported name (or one stored before names were checked) may hold: U+202E in it
  // reversed the rest of the entry's title (" on <post>") in a feed reader's list.
  const name = withoutBidiControls(comment.author.name);
  return {
    id: await feedUuid(`${site}:comment:${comment.id}`),
    title: `${name} on ${comment.page?.title ?? address ?? comment.pageId}`,
    authorName: name,
    published: comment.createdAt,
    updated: comment.editedAt ?? comment.createdAt,
    ...(link !== undefined ? { link } : {}),
    // Documents built before the feed existed carry the excerpt only.
    html: comment.body !== undefined ? commentHtml(feedText(comment.body)) : `<p>${escapeHtml(comment.excerpt)}</p>`,
  };
}

/** The site's latest approved comments, newest first, from the recent-comments document (null: none built yet). */
export async function siteFeed(source: FeedSource, document: RecentCommentsDocument | null): Promise<Feed> {
  const entries = await Promise.all((document?.comments ?? []).map((comment) => recentEntry(source.site.id, comment)));
  const alternateUrl = siteAddress(source.site.origins);
  return {
    id: await feedUuid(`${source.site.id}:comments`),
    title: `Comments on ${source.site.name}`,
    updated: newest(entries, document?.generatedAt),
    selfUrl: source.selfUrl,
    ...(alternateUrl !== undefined ? { alternateUrl } : {}),
    authorName: source.site.name,
    entries,
  };
}

/** One page's newest shown comments (no placeholders), newest first; a page with none gives an empty feed. */
export async function threadFeed(source: FeedSource, pageId: string, snapshot: ThreadSnapshot | null): Promise<Feed> {
  const address = snapshot?.pageUrl ?? pageId;
  // Any page id can be asked for, and posted to: links only to the site's own pages.
  const postUrl = addressOnSite(address, source.site.origins);
  const shown = (snapshot?.comments ?? [])
    .filter((comment) => comment.deleted !== true)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1))
    .slice(0, THREAD_FEED_ENTRIES);
  const entries = await Promise.all(
    shown.map(async (comment: PublicComment): Promise<FeedEntry> => {
      const link = commentLink(postUrl, comment.id);
      const name = withoutBidiControls(comment.author.name); // as in recentEntry
      return {
        id: await feedUuid(`${source.site.id}:comment:${comment.id}`),
        title: `Comment by ${name}`,
        authorName: name,
        published: comment.createdAt,
        updated: comment.editedAt ?? comment.createdAt,
        ...(link !== undefined ? { link } : {}),
        html: commentHtml(feedText(comment.body)),
      };
    }),
  );
  return {
    id: await feedUuid(`${source.site.id}:thread:${pageId}`),
    title: `Comments on ${address}`,
    updated: newest(entries, snapshot?.builtAt),
    selfUrl: source.selfUrl,
    ...(postUrl !== undefined ? { alternateUrl: postUrl } : {}),
    authorName: source.site.name,
    entries,
  };
}

/**
 * The feed's validator, from what the feed is made of (without rendering it): a reader polling an unchanged
 * feed gets 304 after one KV read. `stamp` is when the document was last written.
 */
export async function feedEtag(source: FeedSource, stamp: string | undefined): Promise<string> {
  const hash = await sha256Hex(
    `${FEED_FORMAT}\n${source.selfUrl}\n${source.site.name}\n${source.site.origins.join(' ')}\n${stamp ?? ''}`,
  );
  return `"${hash.slice(0, 32)}"`;
}

export function renderAtom(feed: Feed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(feed.id)}</id>`,
    `  <title>${xml(feed.title)}</title>`,
    `  <updated>${xml(feed.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(feed.selfUrl)}"/>`,
    ...(feed.alternateUrl !== undefined
      ? [`  <link rel="alternate" type="text/html" href="${xml(feed.alternateUrl)}"/>`]
      : []),
    `  <author><name>${xml(feed.authorName)}</name></author>`,
    '  <generator>Sala</generator>',
  ];
  for (const entry of feed.entries) {
    lines.push(
      '  <entry>',
      `    <id>${xml(entry.id)}</id>`,
      `    <title>${xml(entry.title)}</title>`,
      `    <author><name>${xml(entry.authorName)}</name></author>`,
      `    <published>${xml(entry.published)}</published>`,
      `    <updated>${xml(entry.updated)}</updated>`,
      ...(entry.link !== undefined ? [`    <link rel="alternate" type="text/html" href="${xml(entry.link)}"/>`] : []),
      `    <content type="html">${xml(entry.html)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
