import { describe, expect, it } from 'vitest';
import { readCommentEdit, readNewComment, readPageId } from './comment-input.js';

const valid = { page: 'https://blog.example.com/post/?m=1', name: '  Dara  ', body: '  *hi*  \n' };

describe('readNewComment', () => {
  it('normalises the page, trims the name, and keeps the body exactly as typed', () => {
    expect(readNewComment(valid)).toEqual({
      pageId: 'https://blog.example.com/post',
      parentId: null,
      name: 'Dara',
      email: null,
      website: null,
      body: '  *hi*  \n',
    });
  });

  it('treats empty optional fields as absent, as a form sends them', () => {
    expect(readNewComment({ ...valid, email: '', website: ' ', parentId: null })).toMatchObject({
      email: null,
      website: null,
      parentId: null,
    });
  });

  it('keeps a plausible email and a safe website', () => {
    const input = readNewComment({ ...valid, email: ' Dara@Example.com ', website: 'https://dara.example.com' });
    expect(input).toMatchObject({ email: 'Dara@Example.com', website: 'https://dara.example.com/' });
  });

  it('refuses a page id with control characters, which could forge lines in mails and webhooks', () => {
    for (const page of ['post-1\nApprove: https://evil.example', 'post\u0000', 'post\u2028x']) {
      expect(() => readNewComment({ ...valid, page })).toThrowError(expect.objectContaining({ field: 'page' }));
    }
  });

  it('refuses emails that are not addresses', () => {
    for (const email of ['dara', 'dara@', '@example.com', 'dara@example', 'da ra@example.com', 'dara@@example.com']) {
      expect(() => readNewComment({ ...valid, email })).toThrowError(expect.objectContaining({ field: 'email' }));
    }
  });

  it('refuses a body that is not an object', () => {
    for (const json of [null, [], 'hello', 42]) {
      expect(() => readNewComment(json)).toThrowError(expect.objectContaining({ code: 'invalid_json' }));
    }
  });

  it('refuses a malformed parent id as a parent that is not there', () => {
    expect(() => readNewComment({ ...valid, parentId: '../x' })).toThrowError(
      expect.objectContaining({ code: 'parent_not_found', field: 'parentId' }),
    );
  });
});

describe('readCommentEdit', () => {
  it('needs the page and a non-blank body', () => {
    expect(readCommentEdit({ page: 'post-1', body: 'new' })).toEqual({ pageId: 'post-1', body: 'new' });
    expect(() => readCommentEdit({ body: 'new' })).toThrowError(expect.objectContaining({ field: 'page' }));
    expect(() => readCommentEdit({ page: 'post-1', body: '\n' })).toThrowError(
      expect.objectContaining({ field: 'body' }),
    );
  });
});

describe('readPageId', () => {
  it('names the field it was given', () => {
    expect(() => readPageId(undefined, 'page')).toThrowError(expect.objectContaining({ field: 'page' }));
    expect(() => readPageId(['a'])).toThrowError(expect.objectContaining({ field: 'page' }));
  });
});
