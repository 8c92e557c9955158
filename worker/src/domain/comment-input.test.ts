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
      pageUrl: null,
    });
  });

  it('keeps the page’s address as a link, .html and all, when it is this page’s', () => {
    const blogger = { ...valid, page: 'https://mekong.blogspot.com/2026/11/walk.html?m=1' };
    expect(
      readNewComment({ ...blogger, pageUrl: 'HTTPS://Mekong.Blogspot.com/2026/11/walk.html?m=1#comments' }),
    ).toMatchObject({
      pageId: 'https://mekong.blogspot.com/2026/11/walk',
      pageUrl: 'https://mekong.blogspot.com/2026/11/walk.html',
    });
    expect(readNewComment({ ...valid, pageUrl: '' }).pageUrl).toBeNull();
  });

  it('ignores an address of another page or host: the comment is kept, the link is not', () => {
    const page = 'https://mekong.blogspot.com/2026/11/walk.html';
    for (const pageUrl of [
      'https://evil.example/2026/11/walk.html',
      'https://mekong.blogspot.com/2026/11/other.html',
      'https://mekong.blogspot.com/2026/11/walk.html?next=https://evil.example',
      'http://mekong.blogspot.com/2026/11/walk.html',
    ]) {
      expect(readNewComment({ ...valid, page, pageUrl }).pageUrl).toBeNull();
    }
    // An explicit page id that is no address has no link at all.
    expect(
      readNewComment({ ...valid, page: 'post-42', pageUrl: 'https://blog.example.com/post-42' }).pageUrl,
    ).toBeNull();
  });

  it('refuses a page address that is no http(s) URL, naming pageUrl', () => {
    for (const pageUrl of [
      'javascript:alert(1)',
      'walk.html',
      42,
      `https://a.example/${'x'.repeat(2048)}`,
      'https://a.example/\nb',
    ]) {
      expect(() => readNewComment({ ...valid, pageUrl })).toThrowError(expect.objectContaining({ field: 'pageUrl' }));
    }
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

  it('refuses a name with a bidi embedding, override or isolate, which would reverse the text after it', () => {
    for (const name of ['Dara\u202e', '\u202bDara', 'Da\u202dra', '\u2066Dara\u2069', 'Dara\u2068']) {
      expect(() => readNewComment({ ...valid, name })).toThrowError(
        expect.objectContaining({
          code: 'invalid_field',
          field: 'name',
          message: 'name must not contain control characters.',
        }),
      );
    }
    // Right-to-left names and the marks people typing them use are names.
    for (const name of ['דנה', 'دارا\u200f', '\u200eDara', 'سارا\u061c'])
      expect(readNewComment({ ...valid, name }).name).toBe(name);
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
