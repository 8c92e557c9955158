/**
 * A Disqus export (Admin > Moderation > Export: `{forum}-{date}-all.xml`): `<thread dsq:id>` elements for the pages
 * (`<link>`, the page's `<id>` identifier, `<title>`, `<isClosed>`), then `<post dsq:id>` elements for the comments
 * (`<message>` HTML, `<createdAt>`, `<isDeleted>`, `<isSpam>`, `<author>`), each naming its thread and, for a
 * reply, its parent by `dsq:id`. The commenter's `<ipAddress>` is never read.
 */
import { pageLink } from '@sala/protocol';
import type { ImportOptions, ImportPlan } from './plan.js';
import {
  CHECKPOINT_EVERY,
  commentExample,
  PlanBuilder,
  type BuildProgress,
  type ImportReader,
} from './plan-builder.js';
import { childNamed, childrenNamed, childText } from './xml.js';

const INTERNALS = 'http://disqus.com/disqus-internals';

export function isDisqusExport(root: Element): boolean {
  return root.localName === 'disqus';
}

function dsqId(element: Element | null): string | null {
  if (element === null) return null;
  const id = (element.getAttributeNS(INTERNALS, 'id') ?? element.getAttribute('dsq:id') ?? '').trim();
  return id === '' ? null : id;
}

function isTrue(element: Element, name: string): boolean {
  return childText(element, name)?.toLowerCase() === 'true';
}

/** A `<post>` as the file says, before its thread is looked up. */
interface DisqusPost {
  sourceId: string | null;
  threadId: string | null;
  parentSourceId: string | null;
  authorName: string | null;
  authorEmail: string | null;
  createdAt: string | null;
  message: string | null;
  deleted: boolean;
  spam: boolean;
}

export class DisqusReader implements ImportReader {
  private readonly plan: PlanBuilder;
  private readonly deletedThreads = new Set<string>();
  private readonly posts: DisqusPost[] = [];

  constructor(options: ImportOptions, now?: number) {
    this.plan = new PlanBuilder('disqus', options, now);
  }

  read(root: Element): void {
    for (const thread of childrenNamed(root, 'thread')) {
      const id = dsqId(thread);
      if (id === null) continue;
      // The page's address; a thread without one may still have been identified by its address.
      const link = childText(thread, 'link');
      const identifier = childText(thread, 'id');
      const url = link && pageLink(link) ? link : identifier && pageLink(identifier) ? identifier : null;
      if (isTrue(thread, 'isDeleted')) this.deletedThreads.add(id);
      this.plan.thread(id, { url, title: childText(thread, 'title'), closed: isTrue(thread, 'isClosed') });
    }
    for (const post of childrenNamed(root, 'post')) {
      const author = childNamed(post, 'author');
      this.posts.push({
        sourceId: dsqId(post),
        threadId: dsqId(childNamed(post, 'thread')),
        parentSourceId: dsqId(childNamed(post, 'parent')),
        authorName: author === null ? null : (childText(author, 'name') ?? childText(author, 'username')),
        authorEmail: author === null ? null : childText(author, 'email'),
        createdAt: childText(post, 'createdAt'),
        message: childText(post, 'message'),
        deleted: isTrue(post, 'isDeleted'),
        spam: isTrue(post, 'isSpam'),
      });
    }
  }

  /** Posts are placed once every thread is known: a thread listed after its posts still holds them. */
  *finish(): Generator<BuildProgress, ImportPlan> {
    const { plan, deletedThreads, posts } = this;
    for (const [index, post] of posts.entries()) {
      if (index % CHECKPOINT_EVERY === 0) yield { done: 0, total: posts.length };
      if (post.sourceId === null) {
        plan.skip('invalid', () =>
          commentExample({ authorName: post.authorName, html: post.message ?? '', sourceId: '' }),
        );
        continue;
      }
      const { threadId } = post;
      plan.comment({
        sourceId: post.sourceId,
        parentSourceId: post.parentSourceId,
        thread: threadId !== null && plan.hasThread(threadId) ? threadId : null,
        authorName: post.authorName,
        authorEmail: post.authorEmail,
        createdAt: post.createdAt,
        html: post.message ?? '',
        status:
          post.deleted || (threadId !== null && deletedThreads.has(threadId))
            ? 'deleted'
            : post.spam
              ? 'spam'
              : 'approved',
      });
    }
    return yield* plan.building();
  }
}
