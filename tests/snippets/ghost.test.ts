/**
 * The Ghost theme partials (examples/ghost/partials) rendered by Handlebars, with Ghost's `is` and `url` helpers
 * written here as Ghost defines them (core/frontend/helpers/is.js and url.js: a context list, and an encoded URL
 * returned as safe HTML). A post gets its thread named by its address; a page or the home page none; a post card's
 * count names the same address. The code-injection snippets run in Chromium in tests/e2e/snippets.test.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { expect, test } from 'vitest';

const partials = resolve(import.meta.dirname, '../../examples/ghost/partials');
const SITE = 'https://blog.example/';

interface GhostPost {
  url: string;
  title: string;
}

function ghost(): typeof Handlebars {
  const hbs = Handlebars.create();
  // {{#is "post, page"}}: whether the page's context list (Ghost sets it per route) has any of the names.
  hbs.registerHelper('is', function (this: unknown, names: string, options: Handlebars.HelperOptions) {
    const context: string[] = options.data.root.context;
    const matches = names.split(',').some((name) => context.includes(name.trim()));
    return matches ? options.fn(this) : options.inverse(this);
  });
  // {{url absolute="true"}}: the post's address, made absolute against the site's and encoded.
  hbs.registerHelper('url', function (this: GhostPost, options: Handlebars.HelperOptions) {
    const absolute = options.hash.absolute && options.hash.absolute !== 'false';
    const url = absolute ? new URL(this.url, SITE).href : this.url;
    return new Handlebars.SafeString(encodeURI(decodeURI(url)));
  });
  for (const name of ['sala-comments', 'sala-comment-count']) {
    hbs.registerPartial(name, readFileSync(resolve(partials, `${name}.hbs`), 'utf8'));
  }
  return hbs;
}

/** Casper's post.hbs, cut down: the post, then where {{comments}} was. */
const POST_TEMPLATE = '{{#post}}<article><h1>{{title}}</h1></article>{{> "sala-comments"}}{{/post}}';
/** Casper's index.hbs with its post cards; Ghost's {{#foreach}} is Handlebars' {{#each}} plus extras not used here. */
const INDEX_TEMPLATE = '{{#each posts}}<article><h2>{{title}}</h2>{{> "sala-comment-count"}}</article>{{/each}}';

const walk: GhostPost = { url: '/morning-walk/', title: 'A morning walk' };
const threads = (html: string) =>
  [...html.matchAll(/<sala-comments id="comments" page-id="([^"]*)">/g)].map((m) => m[1]);

test('a post gets its thread, named by its address; a page and the home page get none', () => {
  const render = ghost().compile(POST_TEMPLATE);
  const post = render({ post: walk, context: ['post'] });
  expect(threads(post)).toEqual(['https://blog.example/morning-walk/']);
  // In the section Casper gives its own comments: a .gh-canvas grid puts it in the text's column, not edge to edge.
  expect(post).toMatch(/<section class="article-comments gh-canvas">\s*<sala-comments /);
  const page = render({ post: { url: '/about/', title: 'About' }, context: ['page'] });
  expect(page).toContain('<h1>About</h1>');
  expect(page).not.toContain('<sala-comments');
  expect(render({ post: walk, context: ['home', 'index'] })).not.toContain('<sala-comments');
});

test('a post card counts the post under the address its thread uses', () => {
  const hbs = ghost();
  const index = hbs.compile(INDEX_TEMPLATE)({
    posts: [walk, { url: '/night "market"/', title: 'Night market' }],
    context: ['home', 'index'],
  });
  const counts = [...index.matchAll(/<sala-comment-count href="([^"]*)">/g)].map((m) => m[1]);
  expect(counts).toEqual(['https://blog.example/morning-walk/', 'https://blog.example/night%20%22market%22/']);
  expect(threads(hbs.compile(POST_TEMPLATE)({ post: walk, context: ['post'] }))).toEqual([counts[0]]);
});
