/**
 * A blog's `feed.atom` from Google Takeout (Takeout/Blogger/Blogs/{blog}/feed.atom): posts and comments as Atom
 * entries told apart by `<blogger:type>`, with their state in `<blogger:status>`. A comment names its post in
 * `<blogger:parent>` and the comment it answers in `<blogger:inReplyTo>`; a post its path in `<blogger:filename>`,
 * and its address only sometimes in a link, so the owner may have to say where the blog is served.
 */
import type { ImportStatus } from '@sala/protocol';
import { isRemovedPlaceholder, PLACEHOLDER_EMAIL } from './blogger.js';
import type { ImportSkipReason } from './plan.js';
import { ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import { PlanBuilder } from './plan-builder.js';
import { atomContentHtml, childNamed, childrenNamed, childText } from './xml.js';

const BLOGGER_NAMESPACE = /^https?:\/\/schemas\.google\.com\/blogger\//;

/** A `<blogger:…>` child's text. */
function bloggerText(entry: Element, name: string): string | null {
  for (const child of entry.children) {
    if (child.localName === name && BLOGGER_NAMESPACE.test(child.namespaceURI ?? '')) {
      return (child.textContent ?? '').trim();
    }
  }
  return null;
}

export function isBloggerTakeout(root: Element): boolean {
  return root.localName === 'feed' && childrenNamed(root, 'entry').some((entry) => bloggerText(entry, 'type') !== null);
}

/** The number at the end of `tag:blogger.com,1999:blog-1.post-2`, or the id as it is. */
function shortId(value: string | null): string | null {
  if (value === null || value === '') return null;
  return /\.post-(\d+)$/.exec(value)?.[1] ?? value;
}

function alternate(element: Element): string | null {
  const link = childrenNamed(element, 'link').find((candidate) => candidate.getAttribute('rel') === 'alternate');
  return link?.getAttribute('href') ?? null;
}

function originOf(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(/^https?:\/\//i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Why a post's comments are left out, from the post's status; null for a published post. */
function postSkip(status: string | null): ImportSkipReason | null {
  switch (status) {
    case 'DRAFT':
    case 'SCHEDULED':
      return 'draft';
    case 'SOFT_TRASHED':
      return 'trash';
    case 'DELETED':
      return 'deleted';
    default:
      return null;
  }
}

function commentStatus(status: string | null): ImportStatus | ImportSkipReason {
  switch (status) {
    case 'DELETED':
      return 'deleted';
    case 'SOFT_TRASHED':
      return 'trash';
    case 'SPAM':
      return 'spam';
    case 'PENDING':
    case 'DRAFT':
      return 'pending';
    default:
      return 'approved';
  }
}

export function parseBloggerTakeout(feed: Element, options: ImportOptions, now?: number): ImportPlan {
  const plan = new PlanBuilder('blogger-takeout', options, now);
  const entries = childrenNamed(feed, 'entry');
  const posts = entries.filter((entry) => ['POST', 'PAGE'].includes(bloggerText(entry, 'type') ?? ''));

  // Where the blog is served: the owner's word first, then any link the file has.
  const origin =
    originOf(options.siteOrigin) ??
    originOf(alternate(feed)) ??
    posts.map((post) => originOf(alternate(post))).find((found) => found !== null) ??
    null;
  if (origin === null && posts.some((post) => alternate(post) === null && bloggerText(post, 'filename'))) {
    throw new ImportFileError(
      'needs-origin',
      'This Takeout file gives the paths of the posts but not the blog’s address: type the address (e.g. https://name.blogspot.com) and read the file again.',
    );
  }

  const postAuthors = new Map<string, string | null>();
  const postSkips = new Map<string, ImportSkipReason | null>();
  for (const post of posts) {
    // Keyed by the number: a comment's `<blogger:parent>` may name its post by number or by its whole tag.
    const id = shortId(childText(post, 'id'));
    if (id === null) continue;
    const filename = bloggerText(post, 'filename');
    const url = alternate(post) ?? (filename && origin !== null ? new URL(filename, origin).href : null);
    postSkips.set(id, postSkip(bloggerText(post, 'status')));
    postAuthors.set(id, childText(childNamed(post, 'author') ?? post, 'uri'));
    plan.thread(id, { url, title: childText(post, 'title') });
  }

  for (const entry of entries) {
    if (bloggerText(entry, 'type') !== 'COMMENT') continue;
    const id = childText(entry, 'id');
    const sourceId = shortId(id);
    if (sourceId === null) {
      plan.skip('invalid', '');
      continue;
    }
    const postId = shortId(bloggerText(entry, 'parent'));
    const known = postId !== null && postSkips.has(postId);
    const author = childNamed(entry, 'author');
    const uri = author === null ? null : childText(author, 'uri');
    const postAuthor = known ? postAuthors.get(postId) : null;
    const html = atomContentHtml(entry);
    const email = author === null ? null : childText(author, 'email');
    const status = isRemovedPlaceholder(html) ? 'deleted' : commentStatus(bloggerText(entry, 'status'));
    plan.comment({
      sourceId,
      parentSourceId: shortId(bloggerText(entry, 'inReplyTo')),
      thread: known ? postId : null,
      authorName: author === null ? null : childText(author, 'name'),
      authorEmail: email?.toLowerCase() === PLACEHOLDER_EMAIL ? null : email,
      authorUrl: uri,
      createdAt: childText(entry, 'published') ?? bloggerText(entry, 'created'),
      html,
      status: (known ? postSkips.get(postId) : null) ?? status,
      owner: uri !== null && uri !== '' && uri === postAuthor,
    });
  }
  return plan.build();
}
