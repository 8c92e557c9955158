import { afterEach, describe, expect, it } from 'vitest';
import type { PublicComment } from '@sala/protocol';
import { comment, threadFixture } from '../test/fixtures.js';
import { withOwnComments } from './own-actions.js';
import { OwnComments } from './own-comments.js';
import { buildThread, type ThreadNode } from './thread.js';

/** The tree as id[@mention] strings with nested arrays for replies. */
function shape(nodes: ThreadNode[]): unknown[] {
  return nodes.map((node) => {
    const label = node.mention ? `${node.comment.id}@${node.mention}` : node.comment.id;
    return node.replies.length ? [label, shape(node.replies)] : label;
  });
}

describe('buildThread', () => {
  it('nests to max-depth and lines deeper replies up at the last level', () => {
    expect(shape(buildThread(threadFixture(), 3))).toEqual([
      ['c1', [['c2', ['c3', 'c4@Carol', 'c5@Dave']]]],
      'c6',
      ['c7', ['c8']],
    ]);
    expect(shape(buildThread(threadFixture(), 2))).toEqual([
      ['c1', ['c2', 'c3@Bob', 'c4@Carol', 'c5@Dave']],
      'c6',
      ['c7', ['c8']],
    ]);
  });

  it('skips replies whose parent is not loaded, and cannot loop on a comment that answers itself', () => {
    const looped = comment('x', 'x', 'Loop', 'me');
    expect(shape(buildThread([comment('a', null, 'A', ''), comment('b', 'missing', 'B', ''), looped], 3))).toEqual([
      'a',
    ]);
  });
});

describe('withOwnComments', () => {
  const server = [comment('c1', null, 'A', ''), comment('c2', 'c1', 'B', '')];
  const editableUntil = new Date(Date.now() + 10 * 60_000).toISOString();
  afterEach(() => localStorage.clear());

  it('adds what the server does not list yet, new roots where the sort puts new comments, below the pinned', () => {
    const own = new OwnComments('sala:own:test-with-own');
    for (const mine of [comment('n1', null, 'Me', ''), comment('n2', 'c1', 'Me', ''), comment('c2', 'c1', 'B', '')]) {
      own.add({ comment: mine, editToken: 't', editableUntil });
    }
    expect(withOwnComments(server, own, 'oldest').map((c) => c.id)).toEqual(['c1', 'c2', 'n1', 'n2']);
    expect(withOwnComments(server, own, 'newest').map((c) => c.id)).toEqual(['n1', 'c1', 'c2', 'n2']);
    // Where the server lists them once KV catches up: they used to show above the owner's pinned comment until then.
    const pinned = [{ ...server[0]!, pinned: true }, server[1]!];
    expect(withOwnComments(pinned, own, 'newest').map((c) => c.id)).toEqual(['c1', 'c2', 'n1', 'n2']);
  });

  // The server's copies from before the reader's edit and delete, as KV serves them for up to a minute.
  it('shows the reader’s edit and delete over the server’s older copies, never over its placeholder', () => {
    const own = new OwnComments('sala:own:test-with-own');
    const mine = [comment('c1', null, 'Me', 'First.'), comment('c2', 'c1', 'Me', 'Second.')];
    for (const stored of mine) own.add({ comment: stored, editToken: 't', editableUntil });
    own.update({ ...mine[0]!, body: 'First, edited.', editedAt: new Date().toISOString() });
    own.remove('c2');
    const stale = mine.map((stored) => ({ ...stored, parsed: ['stale'] }));
    const texts = (server: PublicComment[]) => withOwnComments(server, own, 'oldest').map((c) => [c.id, c.body]);
    expect(texts(stale)).toEqual([['c1', 'First, edited.']]);
    // The owner removed the first since (its placeholder holds a reply): the server's placeholder, not the edit.
    const removed = { ...stale[0]!, deleted: true, body: '' };
    expect(texts([removed, stale[1]!, comment('c3', 'c1', 'Dara', 'Hi.')])).toEqual([
      ['c1', ''],
      ['c3', 'Hi.'],
    ]);
  });
});

// Two tabs of one post each read the stored comments once, as they load; the second to post wrote over the first's.
describe('OwnComments in two tabs of one post', () => {
  const key = 'sala:own:test-two-tabs';
  const editableUntil = new Date(Date.now() + 10 * 60_000).toISOString();
  const posted = (id: string) => ({
    comment: comment(id, null, 'Vanna', `Thought ${id}.`),
    editToken: `t-${id}`,
    editableUntil,
  });
  afterEach(() => localStorage.clear());

  it('keeps what each tab posted, editable after a reload, and what one deletes stays deleted', () => {
    const [first, second] = [new OwnComments(key), new OwnComments(key)];
    first.add(posted('n1'));
    second.add(posted('n2'));
    const reloaded = new OwnComments(key);
    expect(reloaded.editable().map((own) => own.id)).toEqual(['n1', 'n2']);
    expect([reloaded.tokenFor('n1'), reloaded.tokenFor('n2')]).toEqual(['t-n1', 't-n2']);

    first.remove('n1');
    second.add(posted('n3'));
    expect(new OwnComments(key).editable().map((own) => own.id)).toEqual(['n2', 'n3']);
  });
});
