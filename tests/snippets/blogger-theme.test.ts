/**
 * The Blogger *Theme → Edit HTML* steps in examples/blogger-theme/README.md, done by a script on a small layouts
 * theme, then read the way Blogger reads a theme: as strict, namespace-aware XML. Each Sala element must land where
 * Blogger renders it on the right pages: the script in <head>, the thread only on a post, the counts beside each
 * post of a list with an `expr:href` Blogger fills in.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const skeleton = readFileSync(resolve(root, 'tests/fixtures/blogger-theme/layouts-theme.xml'), 'utf8');
const example = (name: string) => readFileSync(resolve(root, 'examples/blogger-theme', name), 'utf8');
const EXPR = 'http://www.google.com/2005/gml/expr';

interface Snippets {
  head: string;
  comments: string;
  commentCount: string;
}

const SNIPPETS: Snippets = {
  head: example('head.xml'),
  comments: example('comments.xml'),
  commentCount: example('comment-count.xml'),
};

/** Text found exactly once in `text` from `start` on: the README names a place a blogger can search for. */
function placeOf(text: string, find: string, after = ''): number {
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(find, from);
  if (from < 0 || at < 0) throw new Error(`the theme has no ${after ? `${after} … ` : ''}${find}`);
  return at;
}

/** The three edits of the README: above </head>; instead of commentPicker; after the post title's </h3>. */
function editTheme(theme: string, snippets: Snippets): string {
  const head = placeOf(theme, '</head>');
  theme = theme.slice(0, head) + snippets.head + theme.slice(head);
  const picker = "<b:include cond='data:view.isSingleItem' data='post' name='commentPicker'/>";
  const comments = placeOf(theme, picker);
  theme = theme.slice(0, comments) + snippets.comments + theme.slice(comments + picker.length);
  const title = placeOf(theme, '</h3>', "<b:includable id='postTitle'") + '</h3>'.length;
  return theme.slice(0, title) + snippets.commentCount + theme.slice(title);
}

function ancestors(element: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    found.push(node as XmlElement);
  }
  return found;
}

/** The nearest enclosing `<b:if>`'s condition, or undefined when none encloses the element. */
function condition(element: XmlElement): string | undefined {
  return ancestors(element)
    .find((node) => node.tagName === 'b:if')
    ?.getAttribute('cond')
    ?.trim();
}

function inBlogWidget(element: XmlElement): boolean {
  return ancestors(element).some((node) => node.tagName === 'b:widget' && node.getAttribute('type') === 'Blog');
}

/** What Blogger would refuse, or render on the wrong pages; empty when the theme is right. */
function themeProblems(theme: string): string[] {
  // Two parsers: fast-xml-parser refuses a bare & in text and xmldom one in an attribute; Blogger refuses both.
  const valid = XMLValidator.validate(theme);
  if (valid !== true) return [`not XML: ${valid.err.msg} (line ${valid.err.line})`];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(theme, 'text/xml');
  } catch (error) {
    return [`not XML: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const all = (tag: string) => Array.from(doc.getElementsByTagName(tag));

  const scripts = all('script').filter((script) => script.getAttribute('src')?.endsWith('/embed.js'));
  if (scripts.length !== 1) problems.push(`${scripts.length} embed.js scripts, not 1`);
  for (const script of scripts) {
    if ((script.parentNode as XmlElement | null)?.tagName !== 'head') problems.push('embed.js is not in <head>');
    if (script.getAttribute('type') !== 'module') problems.push('embed.js is not type="module"');
  }

  const threads = all('sala-comments');
  if (threads.length !== 1) problems.push(`${threads.length} <sala-comments>, not 1`);
  for (const thread of threads) {
    if (condition(thread) !== 'data:view.isPost') problems.push('<sala-comments> is not inside data:view.isPost');
    if (!inBlogWidget(thread)) problems.push('<sala-comments> is outside the Blog widget');
  }

  const counts = all('sala-comment-count');
  if (counts.length === 0) problems.push('no <sala-comment-count>');
  for (const count of counts) {
    const href = count.getAttributeNS(EXPR, 'href');
    if (count.hasAttribute('href')) problems.push('<sala-comment-count> has a plain href: every post would get it');
    if (!href || !/^data:post\.url(\s*\+\s*"#[\w-]+")?$/.test(href.trim())) {
      problems.push(`<sala-comment-count> has expr:href ${JSON.stringify(href)}, not data:post.url`);
    }
    const postScope = ancestors(count).some(
      (node) => node.tagName === 'b:includable' && node.getAttribute('var') === 'post',
    );
    if (!postScope || !inBlogWidget(count)) problems.push('<sala-comment-count> is where data:post is not defined');
    if (condition(count) !== 'data:view.isMultipleItems') {
      problems.push('<sala-comment-count> is not inside data:view.isMultipleItems');
    }
  }
  return problems;
}

test('the theme with the three edits is XML Blogger accepts, with each element where Blogger renders it', () => {
  expect(themeProblems(skeleton)).toEqual([
    '0 embed.js scripts, not 1',
    '0 <sala-comments>, not 1',
    'no <sala-comment-count>',
  ]);
  expect(themeProblems(editTheme(skeleton, SNIPPETS))).toEqual([]);
});

describe('the mistakes Blogger or the pages would punish are caught', () => {
  const withChange = (change: Partial<Snippets>) => themeProblems(editTheme(skeleton, { ...SNIPPETS, ...change }));

  test('an unescaped & in the script address', () => {
    const head = SNIPPETS.head.replace('/embed.js', '/embed.js?site=blog&v=1');
    expect(head).not.toBe(SNIPPETS.head);
    expect(withChange({ head })).toEqual([expect.stringMatching(/^not XML/)]);
    expect(withChange({ head: head.replace('&', '&amp;') })).toEqual(['0 embed.js scripts, not 1']);
  });

  test('a bare & in text', () => {
    const comments = SNIPPETS.comments.replace('</sala-comments>', 'Questions & answers</sala-comments>');
    expect(withChange({ comments })).toEqual([expect.stringMatching(/^not XML/)]);
  });

  test('an unclosed tag', () => {
    expect(withChange({ comments: SNIPPETS.comments.replace('</sala-comments>', '') })).toEqual([
      expect.stringMatching(/^not XML/),
    ]);
    expect(withChange({ head: SNIPPETS.head.replace('</script>', '') })).toEqual([expect.stringMatching(/^not XML/)]);
  });

  test('the thread moved out of the post condition', () => {
    const comments =
      "<sala-comments id='comments'></sala-comments>\n" +
      SNIPPETS.comments.replace(/<sala-comments[^]*?<\/sala-comments>/, '');
    expect(withChange({ comments })).toEqual(['<sala-comments> is not inside data:view.isPost']);
  });

  test('a count with href instead of expr:href, or a misspelt namespace', () => {
    expect(withChange({ commentCount: SNIPPETS.commentCount.replace('expr:href', 'href') })).toEqual([
      '<sala-comment-count> has a plain href: every post would get it',
      '<sala-comment-count> has expr:href null, not data:post.url',
    ]);
    expect(withChange({ commentCount: SNIPPETS.commentCount.replace('expr:href', 'exp:href') })).toEqual([
      expect.stringMatching(/^not XML/),
    ]);
  });

  test('a count pasted into <head>, where there is no post', () => {
    expect(withChange({ head: SNIPPETS.head + SNIPPETS.commentCount, commentCount: '' })).toEqual([
      '<sala-comment-count> is where data:post is not defined',
    ]);
  });
});
