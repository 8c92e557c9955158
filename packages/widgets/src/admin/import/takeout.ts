/**
 * A blog's `feed.atom` from Google Takeout (Takeout/Blogger/Blogs/{blog}/feed.atom): posts and comments as Atom
 * entries told apart by `<blogger:type>`, with their state in `<blogger:status>`. A comment names its post in
 * `<blogger:parent>` and the comment it answers in `<blogger:inReplyTo>`; a post its path in `<blogger:filename>`,
 * and its address only sometimes in a link, so the owner may have to say where the blog is served.
 */
import type { ImportStatus } from '@sala/protocol';
import { isRemovedPlaceholder, PLACEHOLDER_EMAIL } from './blogger.js';
import { ImportFileError, type ImportOptions, type ImportPlan, type ImportSkipReason } from './plan.js';
import { CHECKPOINT_EVERY, PlanBuilder, type BuildProgress, type ImportReader } from './plan-builder.js';
import { parseOrigin } from './rewrite.js';
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

interface TakeoutPost {
  id: string | null;
  link: string | null;
  filename: string | null;
  skip: ImportSkipReason | null;
  author: string | null;
  title: string | null;
}

/** A comment as its entry says, before its post is looked up. */
interface TakeoutComment {
  sourceId: string | null;
  postId: string | null;
  parentSourceId: string | null;
  author: { name: string | null; email: string | null; uri: string | null } | null;
  createdAt: string | null;
  html: string;
  status: ImportStatus | ImportSkipReason;
}

export class BloggerTakeoutReader implements ImportReader {
  private readonly plan: PlanBuilder;
  /** The feed's own link to the blog, the first the file gives. */
  private feedLink: string | null = null;
  private readonly posts: TakeoutPost[] = [];
  private readonly comments: TakeoutComment[] = [];

  constructor(
    private readonly options: ImportOptions,
    now?: number,
  ) {
    this.plan = new PlanBuilder('blogger-takeout', options, now);
  }

  read(feed: Element): void {
    this.feedLink ??= alternate(feed);
    for (const entry of childrenNamed(feed, 'entry')) {
      const type = bloggerText(entry, 'type');
      if (type === 'POST' || type === 'PAGE') {
        this.posts.push({
          // Keyed by the number: a comment's `<blogger:parent>` may name its post by number or by its whole tag.
          id: shortId(childText(entry, 'id')),
          link: alternate(entry),
          filename: bloggerText(entry, 'filename'),
          skip: postSkip(bloggerText(entry, 'status')),
          author: childText(childNamed(entry, 'author') ?? entry, 'uri'),
          title: childText(entry, 'title'),
        });
      } else if (type === 'COMMENT') {
        const author = childNamed(entry, 'author');
        const html = atomContentHtml(entry);
        this.comments.push({
          sourceId: shortId(childText(entry, 'id')),
          postId: shortId(bloggerText(entry, 'parent')),
          parentSourceId: shortId(bloggerText(entry, 'inReplyTo')),
          author:
            author === null
              ? null
              : { name: childText(author, 'name'), email: childText(author, 'email'), uri: childText(author, 'uri') },
          createdAt: childText(entry, 'published') ?? bloggerText(entry, 'created'),
          html,
          status: isRemovedPlaceholder(html) ? 'deleted' : commentStatus(bloggerText(entry, 'status')),
        });
      }
    }
  }

  *finish(): Generator<BuildProgress, ImportPlan> {
    const { plan, options, posts } = this;
    if (options.siteOrigin?.trim() && parseOrigin(options.siteOrigin) === null) {
      throw new ImportFileError(
        'needs-origin',
        `“${options.siteOrigin.trim()}” is not the address of a blog: type it as https://name.blogspot.com.`,
      );
    }
    // Where the blog is served: the owner's word first, then any link the file has.
    const origin =
      parseOrigin(options.siteOrigin) ??
      parseOrigin(this.feedLink) ??
      posts.map((post) => parseOrigin(post.link)).find((found) => found !== null) ??
      null;
    if (origin === null && posts.some((post) => post.link === null && post.filename)) {
      throw new ImportFileError(
        'needs-origin',
        'This Takeout file gives the paths of the posts but not the blog’s address: type the address (e.g. https://name.blogspot.com) and read the file again.',
      );
    }

    const postAuthors = new Map<string, string | null>();
    const postSkips = new Map<string, ImportSkipReason | null>();
    for (const post of posts) {
      if (post.id === null) continue;
      const url = post.link ?? (post.filename && origin !== null ? new URL(post.filename, origin).href : null);
      postSkips.set(post.id, post.skip);
      postAuthors.set(post.id, post.author);
      plan.thread(post.id, { url, title: post.title });
    }

    for (const [index, entry] of this.comments.entries()) {
      if (index % CHECKPOINT_EVERY === 0) yield { done: 0, total: this.comments.length };
      if (entry.sourceId === null) {
        plan.skip('invalid', '');
        continue;
      }
      const { postId, author } = entry;
      const known = postId !== null && postSkips.has(postId);
      const uri = author === null ? null : author.uri;
      const postAuthor = known ? postAuthors.get(postId) : null;
      const email = author === null ? null : author.email;
      plan.comment({
        sourceId: entry.sourceId,
        parentSourceId: entry.parentSourceId,
        thread: known ? postId : null,
        authorName: author === null ? null : author.name,
        authorEmail: email?.toLowerCase() === PLACEHOLDER_EMAIL ? null : email,
        authorUrl: uri,
        createdAt: entry.createdAt,
        html: entry.html,
        status: (known ? postSkips.get(postId) : null) ?? entry.status,
        owner: uri !== null && uri !== '' && uri === postAuthor,
      });
    }
    return yield* plan.building();
  }
}
