import type { PublicComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { renderAtom, siteFeed, threadFeed, type FeedSource } from './atom-feed.js';
import type { RecentCommentsDocument } from './recent-comments.js';
import type { ThreadSnapshot } from './thread.js';

/** An imported name (imports keep names as they were): U+202E reverses what follows it on the line. */
const REVERSING = 'Dara\u202e';
const POST = 'https://blog.example.com/walk';
const source: FeedSource = {
  site: { id: 'blog', name: 'Blog', origins: ['https://blog.example.com'] },
  selfUrl: 'https://sala.example/api/v1/feeds/comments.atom?site=blog',
};
const comment = (name: string): PublicComment => ({
  id: '01JEKW8Q5V0000000000000000',
  parentId: null,
  author: { name, avatar: 'a1b2' },
  body: 'Lovely walk',
  createdAt: '2026-12-06T10:00:00.000Z',
});

async function feeds(name: string): Promise<string[]> {
  const document: RecentCommentsDocument = {
    version: 1,
    generatedAt: '2026-12-06T10:01:00.000Z',
    comments: [
      {
        ...comment(name),
        pageId: POST,
        page: { url: POST, title: 'A walk' },
        excerpt: 'Lovely walk',
        body: 'Lovely walk',
      },
    ],
  };
  const snapshot = { pageId: POST, total: 1, comments: [comment(name)], builtAt: document.generatedAt };
  return [
    renderAtom(await siteFeed(source, document)),
    renderAtom(await threadFeed(source, POST, snapshot as ThreadSnapshot)),
  ];
}

describe('a commenter’s name in the feeds', () => {
  it('leaves out bidi controls, so the rest of an entry’s title reads as written', async () => {
    const [site, thread] = await feeds(REVERSING);
    expect(site).toContain('<title>Dara on A walk</title>');
    expect(site).toContain('<author><name>Dara</name></author>');
    expect(thread).toContain('<title>Comment by Dara</title>');
    expect(thread).toContain('<author><name>Dara</name></author>');
    for (const feed of [site, thread]) expect(feed).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps a right-to-left name and its marks', async () => {
    const [site, thread] = await feeds('دارا\u200f');
    expect(site).toContain('<title>دارا\u200f on A walk</title>');
    expect(thread).toContain('<title>Comment by دارا\u200f</title>');
  });
});
