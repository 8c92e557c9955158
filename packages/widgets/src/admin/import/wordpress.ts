/**
 * A WordPress export (Tools > Export, WXR: RSS 2.0 with the `wp:` namespace): one `<item>` per post, page or other
 * content, each with its `<wp:comment>` elements. Comments are stored as typed (`comment_content`: text with the
 * author's line breaks and a few tags); `comment_author_IP` is never read.
 */
import type { ImportStatus } from '@sala/protocol';
import type { ImportOptions, ImportPlan, ImportSkipReason } from './plan.js';
import { PlanBuilder } from './plan-builder.js';
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

export function parseWordPress(root: Element, options: ImportOptions, now?: number): ImportPlan {
  const plan = new PlanBuilder('wordpress', options, now);
  const channel = childNamed(root, 'channel')!;
  const authorIds = new Map<string, string>();
  for (const author of childrenNamed(channel, 'author')) {
    const login = childText(author, 'author_login');
    const id = childText(author, 'author_id');
    if (login && id) authorIds.set(login, id);
  }

  for (const item of childrenNamed(channel, 'item')) {
    const comments = childrenNamed(item, 'comment');
    if (comments.length === 0) continue;
    const postId = childText(item, 'post_id') ?? '';
    const key = `post-${postId}`;
    const skip = postSkip(childText(item, 'post_type'), childText(item, 'status'));
    plan.thread(key, {
      url: childText(item, 'link'),
      title: childText(item, 'title'),
      closed: childText(item, 'comment_status') === 'closed',
    });
    const postAuthor = authorIds.get(childText(item, 'creator') ?? '');

    for (const comment of comments) {
      const sourceId = childText(comment, 'comment_id');
      if (!sourceId) {
        plan.skip('invalid', '');
        continue;
      }
      const type = childText(comment, 'comment_type') ?? '';
      const isPingback = type === 'pingback' || type === 'trackback';
      if (isPingback && options.pingbacks === 'skip') {
        plan.skip('pingback', childText(comment, 'comment_author_url') ?? sourceId);
        continue;
      }
      const name = decodeEntities(childText(comment, 'comment_author'));
      const website = childText(comment, 'comment_author_url');
      let html = childText(comment, 'comment_content') ?? '';
      // A pingback kept as a link: the linking page's address, then its excerpt.
      if (isPingback && website) {
        html = `<a href="${escapeHtml(website)}">${escapeHtml(name || website)}</a>\n\n${html}`;
      }
      const parent = childText(comment, 'comment_parent');
      const userId = childText(comment, 'comment_user_id');
      plan.comment({
        sourceId,
        parentSourceId: parent === null || parent === '0' ? null : parent,
        thread: key,
        authorName: name,
        authorEmail: childText(comment, 'comment_author_email'),
        authorUrl: website,
        // Without its UTC date, the site's local time read as UTC: some hours off rather than the comment lost.
        createdAt: gmtDate(childText(comment, 'comment_date_gmt')) ?? gmtDate(childText(comment, 'comment_date')),
        html,
        newlines: true,
        status: skip ?? commentStatus(childText(comment, 'comment_approved')),
        owner: userId !== null && userId !== '0' && userId === postAuthor,
      });
    }
  }
  return plan.build();
}
