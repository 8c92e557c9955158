/**
 * Reads a fetched post page the way the widget reads the page it runs on (packages/widgets/src/internal/page-meta.ts
 * and host-page.ts), with workerd's streaming HTMLRewriter instead of a DOM: Open Graph and article metas, the
 * canonical link, `<title>`, the post's heading, date (Blogger's `time.published` / `abbr.published` too) and
 * `rel="tag"` labels, the article's first image and the first paragraph with a word in the post's text (`CONTENT`,
 * else the article). What popular posts show comes from here, never from a view beacon (worker/README.md "Page
 * metadata"). Both read the same selectors, from @sala/protocol post-markup.ts and post-content.ts.
 */
import {
  ARTICLE_SELECTORS as ARTICLE,
  BLOGGER_POST_PATH,
  CONTENT_SELECTORS as CONTENT,
  DATE_SOURCES as DATES,
  HAS_WORDS,
  HEADING_SELECTORS as HEADING,
  normalizePageId,
  pageLink,
  POST_SELECTORS as POST,
  type PageMeta,
} from '@sala/protocol';
import { validatePageMeta, type OriginCheck } from './page-meta.js';

/** Metas read, by their lowercased `property` or `name`. */
const METAS = new Set([
  'og:title',
  'og:description',
  'og:image',
  'og:url',
  'og:type',
  'article:published_time',
  'description',
  'generator',
]);
/** Sala elements count views: the page ids they name, and whether a thread is on the page. */
const SALA_ELEMENTS = ['sala-comments', 'sala-popular-posts', 'sala-comment-count'] as const;

const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;
const MAX_LABELS = 10;

/** What one post element (the first of one `POST` selector) holds. */
interface PostParts {
  heading?: string;
  /** Per `DATES` entry, the first value found. */
  dates: (string | undefined)[];
  tags: string[];
}

/** Everything read from a page, as raw text with entities decoded; `pageMetaFromHead` makes the metadata. */
export interface PageHead {
  title: string;
  /** First content of each meta in `METAS`. */
  metas: Record<string, string>;
  articleTags: string[];
  canonical?: string;
  bodyClasses: string[];
  /** Per `POST` selector, its first element's parts; undefined where the page has none. */
  posts: (PostParts | undefined)[];
  article: { heading?: string; paragraph?: string; image?: string };
  /** The post's text (the first `CONTENT` element), where the page marks it: its first paragraph with a word. */
  content?: { paragraph?: string };
  /** `page-id` attributes of Sala elements. */
  salaPageIds: string[];
  /** The first Sala element's `labels` attribute ("a, b"), which the widget sends instead of the page's labels. */
  salaLabels?: string;
  hasThread: boolean;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
};

/** HTMLRewriter hands over text and attributes as written: `&amp;` and `&#8217;` decoded here, as a DOM would. */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function squash(text: string | null | undefined): string {
  return decodeEntities(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first element of one kind, open from its start tag to its end tag. */
class FirstElement {
  seen = false;
  open = false;
}

/**
 * True when `element` matches `selector`, one of the simple selectors above (`.class`, `tag` or `[attr="value"]`).
 * A selector list is matched once per element and sorted out here: an element keeps one end-tag handler only.
 */
function matchesSimple(element: Element, selector: string): boolean {
  if (selector.startsWith('.')) return (element.getAttribute('class') ?? '').split(/\s+/).includes(selector.slice(1));
  const attribute = /^\[([a-z-]+)="([^"]*)"\]$/.exec(selector);
  if (attribute) return element.getAttribute(attribute[1]!) === attribute[2];
  return element.tagName.toLowerCase() === selector;
}

/**
 * Adds one handler that collects the text of each element `selector` matches and hands it, at the element's end
 * tag, to the consumers `wanted(element)` returns (none: the element is skipped).
 */
function onText(
  rewriter: HTMLRewriter,
  selector: string,
  wanted: (element: Element) => ((text: string) => void)[],
): HTMLRewriter {
  let buffer: string | null = null;
  return rewriter.on(selector, {
    element(element) {
      if (buffer !== null) return; // inside an element already being read: its text is in that one
      const consumers = wanted(element);
      if (consumers.length === 0) return;
      buffer = '';
      element.onEndTag(() => {
        const text = squash(buffer);
        buffer = null;
        if (text) for (const consume of consumers) consume(text);
      });
    },
    text(chunk) {
      if (buffer !== null) buffer += chunk.text;
    },
  });
}

/**
 * At most `maxBytes` of `body`: a page is read to its post, not to the end of an endless document. Reaching the cap
 * ends the stream, which cancels the download (the rest is never fetched, nor passed through here).
 */
function capped(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const room = maxBytes - seen;
        seen += chunk.byteLength;
        controller.enqueue(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
        if (seen >= maxBytes) controller.terminate();
      },
    }),
  );
}

/** Reads the parts of a page that say what it is, from the first `maxBytes` of its HTML. */
export async function readPageHead(html: Response, maxBytes: number): Promise<PageHead> {
  const head: PageHead = {
    title: '',
    metas: {},
    articleTags: [],
    bodyClasses: [],
    posts: POST.map(() => undefined),
    article: {},
    salaPageIds: [],
    hasThread: false,
  };
  const posts = POST.map(() => new FirstElement());
  const article = new FirstElement();
  const content = new FirstElement();
  let titleSeen = false;

  let rewriter = new HTMLRewriter()
    .on('meta', {
      element(element) {
        const key = (element.getAttribute('property') ?? element.getAttribute('name') ?? '').trim().toLowerCase();
        const content = squash(element.getAttribute('content'));
        if (key === 'article:tag' && content) head.articleTags.push(content);
        else if (METAS.has(key) && head.metas[key] === undefined && content) head.metas[key] = content;
      },
    })
    .on('link[rel][href]', {
      element(element) {
        const rel = (element.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
        if (rel.includes('canonical') && head.canonical === undefined)
          head.canonical = squash(element.getAttribute('href'));
      },
    })
    .on('body', {
      element(element) {
        head.bodyClasses = squash(element.getAttribute('class')).split(' ').filter(Boolean);
      },
    })
    .on(SALA_ELEMENTS.join(', '), {
      element(element) {
        if (element.tagName.toLowerCase() === 'sala-comments') head.hasThread = true;
        const pageId = element.getAttribute('page-id');
        if (pageId !== null) head.salaPageIds.push(decodeEntities(pageId));
        head.salaLabels ??= element.getAttribute('labels') ?? undefined;
      },
    })
    // The post, the article and the post's text: the first element of each kind, open until its end tag.
    .on([...new Set([...POST, ...ARTICLE, ...CONTENT])].join(', '), {
      element(element) {
        const entered: FirstElement[] = [];
        POST.forEach((selector, index) => {
          if (posts[index]!.seen || !matchesSimple(element, selector)) return;
          entered.push(posts[index]!);
          head.posts[index] = { dates: DATES.map(() => undefined), tags: [] };
        });
        if (!article.seen && ARTICLE.some((selector) => matchesSimple(element, selector))) entered.push(article);
        if (!content.seen && CONTENT.some((selector) => matchesSimple(element, selector))) {
          entered.push(content);
          head.content = {};
        }
        if (entered.length === 0) return;
        for (const scope of entered) [scope.seen, scope.open] = [true, true];
        element.onEndTag(() => {
          for (const scope of entered) scope.open = false;
        });
      },
    })
    .on('img[src]', {
      element(element) {
        if (article.open && head.article.image === undefined) head.article.image = squash(element.getAttribute('src'));
      },
    });

  /** The parts of each post element open now. */
  const openPosts = () =>
    head.posts.filter((parts, index): parts is PostParts => parts !== undefined && posts[index]!.open);

  DATES.forEach(([selector, attribute], at) => {
    rewriter = rewriter.on(selector, {
      element(element) {
        for (const parts of openPosts()) parts.dates[at] ??= squash(element.getAttribute(attribute));
      },
    });
  });
  rewriter = onText(rewriter, 'title', () => (titleSeen ? [] : [(text) => ((titleSeen = true), (head.title = text))]));
  rewriter = onText(rewriter, [...HEADING, 'h1', 'h2'].join(', '), (element) => {
    const consumers: ((text: string) => void)[] = [];
    if (HEADING.some((selector) => matchesSimple(element, selector))) {
      for (const parts of openPosts())
        if (parts.heading === undefined) consumers.push((text) => (parts.heading = text));
    }
    const tag = element.tagName.toLowerCase();
    if (article.open && head.article.heading === undefined && (tag === 'h1' || tag === 'h2')) {
      consumers.push((text) => (head.article.heading ??= text));
    }
    return consumers;
  });
  // A paragraph without a word (a block theme's meta line "—") is passed over, as the widget does.
  rewriter = onText(rewriter, 'p', () => {
    const consumers: ((text: string) => void)[] = [];
    const { article: inArticle, content: inContent } = head;
    if (article.open && inArticle.paragraph === undefined)
      consumers.push((text) => HAS_WORDS.test(text) && (inArticle.paragraph ??= text));
    if (content.open && inContent && inContent.paragraph === undefined)
      consumers.push((text) => HAS_WORDS.test(text) && (inContent.paragraph ??= text));
    return consumers;
  });
  rewriter = onText(rewriter, 'a[rel~="tag"]', () => openPosts().map((parts) => (text) => parts.tags.push(text)));

  const body = html.body ? capped(html.body, maxBytes) : null;
  // The rewritten page is not wanted, only the handlers' findings: drain it.
  await rewriter.transform(new Response(body, { headers: html.headers })).arrayBuffer();
  return head;
}

/** An absolute http(s) URL resolved against the page, or undefined (data:, javascript: and junk). */
function httpUrl(raw: string | undefined, base: string): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isoDate(raw: string | undefined): string | undefined {
  const time = raw && ISO_DATE_START.test(raw) ? Date.parse(raw) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** What the page is, for counting views, as host-page.ts `pageKind` tells it ('unsure' pages count no views). */
export function isPostPage(head: PageHead, ownUrl: string): boolean {
  const ogType = (head.metas['og:type'] ?? '').toLowerCase();
  if (ogType !== '') return ogType === 'article';
  if (head.metas['article:published_time']) return true;
  const generator = (head.metas.generator ?? '').toLowerCase();
  const classes = new Set(head.bodyClasses);
  if (generator === 'blogger') return BLOGGER_POST_PATH.test(new URL(ownUrl).pathname);
  if (generator.startsWith('wordpress')) return classes.has('single') && !classes.has('attachment');
  if (generator.startsWith('ghost')) return classes.has('post-template');
  return false;
}

export interface PageIdentity {
  /** The page id views were counted under. */
  pageId: string;
  /** Where the page was fetched from, after any redirect. */
  fetchedUrl: string;
  /** True for an origin the cron may fetch and link to (a site's own, never a wildcard host). */
  isOwnOrigin: OriginCheck;
}

export type PageCheck = { ok: true; meta: PageMeta } | { ok: false; problem: string };

/**
 * The metadata a popular-posts list shows for `identity.pageId`, read from the page's own HTML as the widget reads
 * it, or why the page cannot stand for that id: its own address is on another site, it does not name the id
 * (canonical, address, or a Sala element's `page-id`), or it is not a page the widget counts views on.
 */
export function pageMetaFromHead(head: PageHead, identity: PageIdentity): PageCheck {
  const base = identity.fetchedUrl;
  const own = httpUrl(head.canonical, base) ?? httpUrl(head.metas['og:url'], base) ?? identity.fetchedUrl;
  const url = pageLink(own) ?? own;
  if (!identity.isOwnOrigin(new URL(url).origin))
    return { ok: false, problem: `its canonical address ${url} is not on the site` };

  // The widget counts a page under its page-id attribute, else its canonical URL, else its address: so must this.
  const namedByElement = head.salaPageIds.some((pageId) => normalizePageId(pageId) === identity.pageId);
  const countedAs = httpUrl(head.canonical, base) ?? identity.fetchedUrl;
  const namesPage = namedByElement || normalizePageId(countedAs) === identity.pageId;
  if (!namesPage) return { ok: false, problem: `the page is ${countedAs}, not ${identity.pageId}` };
  if (!isPostPage(head, url) && !head.hasThread && !namedByElement) {
    return { ok: false, problem: 'the page is not a post (no og:type article, post markup or <sala-comments>)' };
  }

  const postIndex = head.posts.findIndex((parts) => parts !== undefined);
  const post = postIndex === -1 ? undefined : head.posts[postIndex];
  const title = head.metas['og:title'] || post?.heading || head.title || head.article.heading || url;
  const image = httpUrl(head.metas['og:image'], base) ?? httpUrl(head.article.image, base);
  // The post's text when the page marks it (a block theme's article opens with its meta line), else the article's.
  const paragraph = head.content ? head.content.paragraph : head.article.paragraph;
  const description = head.metas.description || head.metas['og:description'] || paragraph;
  const published = [head.metas['article:published_time'], ...(post?.dates ?? [])].map(isoDate).find(Boolean);
  const labels = head.salaLabels
    ? decodeEntities(head.salaLabels).split(',')
    : [...head.articleTags, ...(post?.tags ?? [])];

  // The same caps and cleaning as a beacon's metadata; labels past 50 characters are dropped there.
  const checked = validatePageMeta(
    { url, title, image, description, published, labels: labels.slice(0, MAX_LABELS * 3) },
    identity.isOwnOrigin,
  );
  return checked.ok ? { ok: true, meta: checked.meta } : { ok: false, problem: checked.message };
}
