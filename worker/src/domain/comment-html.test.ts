import type { AdminComment, WebhookFormat, WebhookPayload, PublicComment } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { MAIL_STRINGS, OWNER_MAIL_STRINGS } from '../routes/email-mail-strings.js';
import { renderAtom, siteFeed, threadFeed, type FeedSource } from './atom-feed.js';
import { commentHtml, FEED_TEXT_CHARS, feedText } from './comment-html.js';
import { heldCommentMail, replyMail } from './email-messages.js';
import type { RecentCommentsDocument } from './recent-comments.js';
import type { ThreadSnapshot } from './thread.js';
import { webhookBody } from './webhooks.js';

describe('commentHtml', () => {
  it('renders the Markdown subset as the widget does', () => {
    expect(commentHtml('Hello *there* **friend**, see `x < y`\nnext line\n\n> quoted\n\n3. three\n4. four')).toBe(
      '<p>Hello <em>there</em> <strong>friend</strong>, see <code>x &lt; y</code><br>next line</p>' +
        '<blockquote><p>quoted</p></blockquote><ol start="3"><li><p>three</p></li><li><p>four</p></li></ol>',
    );
  });

  it('links only http(s) addresses, with the comment link rel', () => {
    expect(commentHtml('[site](https://example.com/?a=1&b=2) [bad](javascript:alert(1)) [mail](mailto:a@b.co)')).toBe(
      '<p><a href="https://example.com/?a=1&amp;b=2" rel="nofollow ugc noopener noreferrer">site</a> ' +
        '[bad](javascript:alert(1)) mail</p>',
    );
  });

  it('keeps raw HTML as text', () => {
    expect(commentHtml('<script>alert("x")</script><img src=x onerror=alert(1)>')).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });
});

describe('feedText', () => {
  it('keeps a comment that fits, and cuts a long one at a space with an ellipsis, once', () => {
    expect(feedText('Short and sweet')).toBe('Short and sweet');
    const long = 'word '.repeat(1_000);
    const cut = feedText(long);
    expect(cut.length).toBeLessThanOrEqual(FEED_TEXT_CHARS);
    expect(cut.endsWith('word …')).toBe(true);
    expect(feedText(cut)).toBe(cut);
  });

  it('never leaves half of a surrogate pair', () => {
    const cut = feedText('😀'.repeat(FEED_TEXT_CHARS));
    expect(cut.length).toBeLessThanOrEqual(FEED_TEXT_CHARS);
    expect(cut).toMatch(/^(😀)+ …$/u);
  });
});

/** A name stored before names were checked for bidi controls (or imported): U+202E reverses what follows it. */
const REVERSING = 'Dara\u202e';

describe('mails naming a commenter', () => {
  it('leave out bidi controls of an old name, so the rest of the subject and line reads as written', () => {
    const comment = { author: REVERSING, body: 'Hello', pageId: 'https://blog.example.com/walk', reasons: [] };
    const links = {
      approve: 'https://sala.example/a',
      reject: 'https://sala.example/r',
      admin: 'https://sala.example/',
    };
    const held = heldCommentMail('owner@example.com', 'Blog', comment, links, OWNER_MAIL_STRINGS.en);
    const reply = replyMail('dara@example.com', 'Blog', comment, comment, 'https://sala.example/u', MAIL_STRINGS.en);
    expect(held.subject).toBe('[Blog] Comment awaiting moderation from Dara');
    expect(held.text.split('\n')[0]).toBe('Dara commented on https://blog.example.com/walk');
    expect(reply.subject).toBe('[Blog] Dara replied to your comment');
    expect(reply.text.split('\n')[0]).toBe('Dara replied to your comment on https://blog.example.com/walk');
  });

  it('keep a right-to-left name and its marks', () => {
    const comment = { author: 'دارا\u200f', body: 'سلام', pageId: 'post-1' };
    expect(
      replyMail('a@example.com', 'Blog', comment, comment, 'https://sala.example/u', MAIL_STRINGS.en).subject,
    ).toBe('[Blog] دارا\u200f replied to your comment');
  });
});

function message(name: string): WebhookPayload {
  const comment: AdminComment = {
    id: '01JEKW8Q5V0000000000000000',
    pageId: 'https://blog.example.com/walk',
    parentId: null,
    status: 'approved',
    author: { name, avatar: 'a1b2', email: 'dara@example.com' },
    ipHash: 'f00d',
    body: 'Lovely walk',
    createdAt: '2026-12-06T10:00:00.000Z',
  };
  return { event: 'comment.created', deliveryId: 'd1', site: 'blog', comment, sentAt: '2026-12-06T10:00:01.000Z' };
}

/** Each format's body as the receiver reads it: the chat line, or the JSON's name. */
function named(format: WebhookFormat, name: string): string {
  const body = JSON.parse(webhookBody(format, message(name))) as {
    text?: string;
    content?: string;
    comment?: { author: { name: string; email?: string } };
  };
  if (format === 'json') return body.comment!.author.name;
  return (body.text ?? body.content)!.split('\n')[1]!;
}

describe('a commenter’s name in webhook bodies', () => {
  it('leaves out bidi controls an imported name holds, in every format', () => {
    // U+202E reversed the rest of the chat line after the name; U+2066 left an isolate open to its end.
    expect(named('slack', 'Dara\u202e')).toBe('*Dara*: Lovely walk');
    expect(named('discord', '\u2066Dara')).toBe('**Dara**: Lovely walk');
    expect(named('json', 'Da\u202dra\u202c')).toBe('Dara');
  });

  it('keeps a right-to-left name and its marks, and never the email', () => {
    expect(named('slack', 'دارا\u200f')).toBe('*دارا\u200f*: Lovely walk');
    expect(webhookBody('json', message('Dara'))).not.toContain('dara@example.com');
  });
});

// REVERSING (above) as an imported name: imports keep names as they were.
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
