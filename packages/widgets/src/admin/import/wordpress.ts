/**
 * A WordPress export (Tools > Export, WXR: RSS 2.0 with the `wp:` namespace): one `<item>` per post, page or other
 * content, each with its `<wp:comment>` elements. Comments are stored as typed (`comment_content`: text with the
 * author's line breaks and a few tags); `comment_author_IP` is never read.
 */
import type { ImportStatus } from '@sala/protocol';
import type { ImportOptions, ImportPlan, ImportSkipReason } from './plan.js';
import { CHECKPOINT_EVERY, PlanBuilder, type BuildProgress, type ImportReader } from './plan-builder.js';
import { childNamed, childrenNamed, childText } from './xml.js';

export function isWordPressExport(root: Element): boolean {
  const channel = root.localName === 'rss' ? childNamed(root, 'channel') : null;
  return (
    channel !== null && (childNamed(channel, 'wxr_version') !== null || childNamed(channel, 'base_site_url') !== null)
  );
}

/** `2024-05-01 09:30:00` (UTC, as `comment_date_gmt` is) as ISO 8601; null for WordPress's `0000-00-00 00:00:00`. */
function gmtDate(raw: string | null): string | null {
  const match = raw === null ? null : /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(raw.trim());
  if (match === null || match[1]!.startsWith('0000')) return null;
  return `${match[1]}T${match[2]}Z`;
}

function commentStatus(approved: string | null): ImportStatus | ImportSkipReason {
  switch (approved) {
    case '1':
    case 'approve':
      return 'approved';
    case '0':
    case 'hold':
      return 'pending';
    case 'spam':
      return 'spam';
    case 'trash':
    case 'post-trashed':
      return 'trash';
    default:
      return 'invalid';
  }
}

/** Why a post's comments are left out: it is not a published post or page. */
function postSkip(type: string | null, status: string | null): ImportSkipReason | null {
  if (type !== 'post' && type !== 'page') return 'unknown-thread';
  if (status === 'publish') return null;
  return status === 'trash' ? 'trash' : 'draft';
}

/** WordPress keeps a commenter's name with HTML entities (`Blog &raquo; Post`, from pingbacks): as text. */
function decodeEntities(text: string | null): string | null {
  if (text === null || !text.includes('&')) return text;
  return new DOMParser().parseFromString(text, 'text/html').body.textContent;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An `<item>` with comments, as the file says, before its author is looked up. */
interface WordPressItem {
  key: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  skip: ImportSkipReason | null;
  creator: string;
  comments: WordPressComment[];
}

/** A `<wp:comment>`'s fields, as written. */
interface WordPressComment {
  sourceId: string | null;
  type: string;
  name: string | null;
  email: string | null;
  website: string | null;
  content: string;
  parent: string | null;
  userId: string | null;
  dateGmt: string | null;
  date: string | null;
  approved: string | null;
}

function commentFields(comment: Element): WordPressComment {
  return {
    sourceId: childText(comment, 'comment_id'),
    type: childText(comment, 'comment_type') ?? '',
    name: childText(comment, 'comment_author'),
    email: childText(comment, 'comment_author_email'),
    website: childText(comment, 'comment_author_url'),
    content: childText(comment, 'comment_content') ?? '',
    parent: childText(comment, 'comment_parent'),
    userId: childText(comment, 'comment_user_id'),
    dateGmt: childText(comment, 'comment_date_gmt'),
    date: childText(comment, 'comment_date'),
    approved: childText(comment, 'comment_approved'),
  };
}

export class WordPressReader implements ImportReader {
  private readonly plan: PlanBuilder;
  private readonly authorIds = new Map<string, string>();
  private readonly items: WordPressItem[] = [];

  constructor(
    private readonly options: ImportOptions,
    now?: number,
  ) {
    this.plan = new PlanBuilder('wordpress', options, now);
  }

  read(root: Element): void {
    const channel = childNamed(root, 'channel');
    if (channel === null) return;
    for (const author of childrenNamed(channel, 'author')) {
      const login = childText(author, 'author_login');
      const id = childText(author, 'author_id');
      if (login && id) this.authorIds.set(login, id);
    }
    for (const item of childrenNamed(channel, 'item')) {
      const comments = childrenNamed(item, 'comment');
      if (comments.length === 0) continue;
      this.items.push({
        key: `post-${childText(item, 'post_id') ?? ''}`,
        url: childText(item, 'link'),
        title: childText(item, 'title'),
        closed: childText(item, 'comment_status') === 'closed',
        skip: postSkip(childText(item, 'post_type'), childText(item, 'status')),
        creator: childText(item, 'creator') ?? '',
        comments: comments.map(commentFields),
      });
    }
  }

  /** Comments are read once the site's authors are all known, wherever the file lists them. */
  *finish(): Generator<BuildProgress, ImportPlan> {
    const { plan, items } = this;
    for (const [index, { key, url, title, closed, skip, creator, comments }] of items.entries()) {
      if (index % CHECKPOINT_EVERY === 0) yield { done: 0, total: items.length };
      plan.thread(key, { url, title, closed });
      const postAuthor = this.authorIds.get(creator);
      for (const comment of comments) this.comment(comment, key, skip, postAuthor);
    }
    return yield* plan.building();
  }

  private comment(
    comment: WordPressComment,
    key: string,
    skip: ImportSkipReason | null,
    postAuthor: string | undefined,
  ): void {
    const { plan, options } = this;
    const { sourceId, type, website, userId } = comment;
    if (!sourceId) {
      plan.skip('invalid', '');
      return;
    }
    const isPingback = type === 'pingback' || type === 'trackback';
    if (isPingback && options.pingbacks === 'skip') {
      plan.skip('pingback', website ?? sourceId);
      return;
    }
    const name = decodeEntities(comment.name);
    let html = comment.content;
    // A pingback kept as a link: the linking page's address, then its excerpt.
    if (isPingback && website) {
      html = `<a href="${escapeHtml(website)}">${escapeHtml(name || website)}</a>\n\n${html}`;
    }
    const { parent } = comment;
    plan.comment({
      sourceId,
      parentSourceId: parent === null || parent === '0' ? null : parent,
      thread: key,
      authorName: name,
      authorEmail: comment.email,
      authorUrl: website,
      // Without its UTC date, the site's local time read as UTC: some hours off rather than the comment lost.
      createdAt: gmtDate(comment.dateGmt) ?? gmtDate(comment.date),
      html,
      newlines: true,
      status: skip ?? commentStatus(comment.approved),
      owner: userId !== null && userId !== '0' && userId === postAuthor,
    });
  }
}
