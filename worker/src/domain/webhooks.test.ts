import type { AdminComment, WebhookFormat, WebhookPayload } from '@sala/protocol';
import { describe, expect, it } from 'vitest';
import { webhookBody } from './webhooks.js';

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
