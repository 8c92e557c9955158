/**
 * A Disqus export (Admin > Moderation > Export: `{forum}-{date}-all.xml`): `<thread dsq:id>` elements for the pages
 * (`<link>`, the page's `<id>` identifier, `<title>`, `<isClosed>`), then `<post dsq:id>` elements for the comments
 * (`<message>` HTML, `<createdAt>`, `<isDeleted>`, `<isSpam>`, `<author>`), each naming its thread and, for a
 * reply, its parent by `dsq:id`. The commenter's `<ipAddress>` is never read.
 */
import { pageLink } from '@sala/protocol';
import type { ImportOptions, ImportPlan } from './plan.js';
import { PlanBuilder } from './plan-builder.js';
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

export function parseDisqus(root: Element, options: ImportOptions, now?: number): ImportPlan {
  const plan = new PlanBuilder('disqus', options, now);
  const deletedThreads = new Set<string>();
  for (const thread of childrenNamed(root, 'thread')) {
    const id = dsqId(thread);
    if (id === null) continue;
    // The page's address; a thread without one may still have been identified by its address.
    const link = childText(thread, 'link');
    const identifier = childText(thread, 'id');
    const url = link && pageLink(link) ? link : identifier && pageLink(identifier) ? identifier : null;
    if (isTrue(thread, 'isDeleted')) deletedThreads.add(id);
    plan.thread(id, { url, title: childText(thread, 'title'), closed: isTrue(thread, 'isClosed') });
  }

  for (const post of childrenNamed(root, 'post')) {
    const sourceId = dsqId(post);
    if (sourceId === null) {
      plan.skip('invalid', (childText(post, 'message') ?? '').slice(0, 60));
      continue;
    }
    const threadId = dsqId(childNamed(post, 'thread'));
    const author = childNamed(post, 'author');
    plan.comment({
      sourceId,
      parentSourceId: dsqId(childNamed(post, 'parent')),
      thread: threadId !== null && plan.hasThread(threadId) ? threadId : null,
      authorName: author === null ? null : (childText(author, 'name') ?? childText(author, 'username')),
      authorEmail: author === null ? null : childText(author, 'email'),
      createdAt: childText(post, 'createdAt'),
      html: childText(post, 'message') ?? '',
      status:
        isTrue(post, 'isDeleted') || (threadId !== null && deletedThreads.has(threadId))
          ? 'deleted'
          : isTrue(post, 'isSpam')
            ? 'spam'
            : 'approved',
    });
  }
  return plan.build();
}
