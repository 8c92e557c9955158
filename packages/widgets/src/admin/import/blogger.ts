/**
 * Blogger's "Back up content" file (Settings > Manage blog > Back up content, `blog-MM-DD-YYYY.xml`): one Atom feed
 * whose entries are the blog's settings, template, posts, pages and comments, told apart by their `kind` category.
 * A comment names its post in `<thr:in-reply-to ref>` and, when it is a reply, its parent comment in
 * `<link rel="related">`.
 */
import type { ImportOptions, ImportPlan } from './plan.js';
import {
  CHECKPOINT_EVERY,
  PlanBuilder,
  type BuildProgress,
  type ImportReader,
  type SourceComment,
} from './plan-builder.js';
import { atomContentHtml, childNamed, childrenNamed, childText } from './xml.js';
import { tagAttribute, tagLocalName } from './xml-chunks.js';

const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';
const KIND_PREFIX = 'http://schemas.google.com/blogger/2008/kind#';
/** Blogger writes this address for every commenter's email: it says nothing about them. */
export const PLACEHOLDER_EMAIL = 'noreply@blogger.com';
/** What Blogger shows where a comment was deleted; the backup keeps the placeholder, not the comment. */
const REMOVED = /^this (?:comment|post) has been removed by (?:the author|a blog administrator)\.?$/i;

/** Blogger's "This comment has been removed…" in place of a deleted comment. */
export function isRemovedPlaceholder(html: string): boolean {
  return REMOVED.test(html.replace(/<[^>]*>/g, '').trim());
}

export function bloggerKind(entry: Element): string | null {
  for (const category of childrenNamed(entry, 'category')) {
    const term = category.getAttribute('term') ?? '';
    if (category.getAttribute('scheme') === KIND_SCHEME && term.startsWith(KIND_PREFIX)) {
      return term.slice(KIND_PREFIX.length);
    }
  }
  return null;
}

/**
 * Whether the child of an entry just opened (the last of `tags`, after the entry's and its earlier children's start
 * tags) is a post's or page's `<content>`: this reader never reads it and a post's HTML may be megabytes, so the file
 * read in slices leaves it out (`XmlChunker`). The kind is told as `bloggerKind` tells it, by the first kind category;
 * one not yet seen, or not written plainly, keeps the content.
 */
export function isUnreadBloggerContent(tags: readonly string[]): boolean {
  if (tags.length < 2 || tagLocalName(tags[0]!) !== 'entry' || tagLocalName(tags.at(-1)!) !== 'content') return false;
  for (const tag of tags.slice(1, -1)) {
    if (tagLocalName(tag) !== 'category' || tagAttribute(tag, 'scheme') !== KIND_SCHEME) continue;
    const term = tagAttribute(tag, 'term') ?? '';
    if (term.startsWith(KIND_PREFIX)) return ['post', 'page'].includes(term.slice(KIND_PREFIX.length));
  }
  return false;
}

/** A Blogger backup is an Atom feed whose entries carry Blogger's kind categories. */
export function isBloggerBackup(root: Element): boolean {
  return root.localName === 'feed' && childrenNamed(root, 'entry').some((entry) => bloggerKind(entry) !== null);
}

function link(entry: Element, rel: string, type?: string): string | null {
  const found = childrenNamed(entry, 'link').find(
    (candidate) =>
      candidate.getAttribute('rel') === rel && (type === undefined || candidate.getAttribute('type') === type),
  );
  return found?.getAttribute('href') ?? null;
}

/** The number at the end of `tag:blogger.com,1999:blog-1.post-2`, or of a feed address. */
function lastNumber(value: string | null): string | null {
  return value === null ? null : (/(\d+)\/?$/.exec(value)?.[1] ?? null);
}

function author(entry: Element): { name: string | null; email: string | null; uri: string | null } {
  const element = childNamed(entry, 'author');
  if (element === null) return { name: null, email: null, uri: null };
  return { name: childText(element, 'name'), email: childText(element, 'email'), uri: childText(element, 'uri') };
}

function isDraft(entry: Element): boolean {
  const control = childNamed(entry, 'control');
  return control !== null && childText(control, 'draft') === 'yes';
}

interface BackupPost {
  id: string;
  draft: boolean;
  author: string | null;
  url: string | null;
  title: string | null;
}

/** A comment as its entry says, before its post is looked up. */
interface BackupComment {
  id: string | null;
  sourceId: string | null;
  postId: string | null;
  parentSourceId: string | null;
  html: string;
  author: ReturnType<typeof author>;
  published: string | null;
}

export class BloggerBackupReader implements ImportReader {
  private readonly plan: PlanBuilder;
  // The blog's authors: the feed's, and each post's own (a team blog has several).
  private readonly blogAuthors = new Set<string>();
  private readonly posts: BackupPost[] = [];
  private readonly comments: BackupComment[] = [];

  constructor(options: ImportOptions, now?: number) {
    this.plan = new PlanBuilder('blogger', options, now);
  }

  read(feed: Element): void {
    for (const element of childrenNamed(feed, 'author')) this.blogAuthors.add(childText(element, 'uri') ?? '');
    for (const entry of childrenNamed(feed, 'entry')) {
      const kind = bloggerKind(entry);
      if (kind === 'post' || kind === 'page') {
        // Keyed by number: posts and pages share Blogger's numbering, and a comment's `ref` may write either kind.
        const id = lastNumber(childText(entry, 'id'));
        if (id === null) continue;
        const draft = isDraft(entry);
        const url = draft ? null : link(entry, 'alternate', 'text/html');
        this.posts.push({ id, draft, author: author(entry).uri, url, title: childText(entry, 'title') });
      } else if (kind === 'comment') {
        const id = childText(entry, 'id');
        this.comments.push({
          id,
          sourceId: lastNumber(id),
          postId: lastNumber(childNamed(entry, 'in-reply-to')?.getAttribute('ref') ?? null),
          parentSourceId: lastNumber(link(entry, 'related')),
          html: atomContentHtml(entry),
          author: author(entry),
          published: childText(entry, 'published'),
        });
      }
    }
  }

  *finish(): Generator<BuildProgress, ImportPlan> {
    const { plan, blogAuthors } = this;
    const posts = new Map<string, BackupPost>();
    for (const post of this.posts) {
      posts.set(post.id, post);
      plan.thread(post.id, { url: post.url, title: post.title });
    }
    for (const [index, entry] of this.comments.entries()) {
      if (index % CHECKPOINT_EVERY === 0) yield { done: 0, total: this.comments.length };
      if (entry.sourceId === null) {
        plan.skip('invalid', entry.id ?? '');
        continue;
      }
      const { postId, html } = entry;
      const post = postId === null ? undefined : posts.get(postId);
      const { name, email, uri } = entry.author;
      const removed = isRemovedPlaceholder(html);
      const comment: SourceComment = {
        sourceId: entry.sourceId,
        parentSourceId: entry.parentSourceId,
        thread: post === undefined ? null : postId,
        authorName: name,
        authorEmail: email?.toLowerCase() === PLACEHOLDER_EMAIL ? null : email,
        authorUrl: uri,
        createdAt: entry.published,
        html,
        status: removed ? 'deleted' : post?.draft ? 'draft' : 'approved',
        owner: uri !== null && uri !== '' && (blogAuthors.has(uri) || uri === post?.author),
      };
      plan.comment(comment);
    }
    return yield* plan.building();
  }
}
