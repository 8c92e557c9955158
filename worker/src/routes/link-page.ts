/**
 * The small self-contained HTML pages that links from notifications and mails open: no script, nothing from a
 * third party, not indexed, not framed, and the token in the URL never sent on as a referrer.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../app-env.js';

/**
 * The language of a page for an Accept-Language header: its most preferred language `table` has words in (by its
 * first subtag, `km-KH` is `km`; weights read), else `fallback` when `table` has it, else English, as the admin page
 * and the widget fall back.
 */
export function pageLanguage(
  acceptLanguage: string | undefined,
  table: Record<string, unknown>,
  fallback?: string,
): string {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), order };
    })
    .filter(({ lang, q }) => Object.hasOwn(table, lang) && q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.lang ?? (fallback !== undefined && Object.hasOwn(table, fallback) ? fallback : 'en');
}

/**
 * The words of `table` in the browser's language, and that language; the answer varies with Accept-Language. A
 * `?lang=` on the link (the owner's language, which the Worker put there) stands in for a browser asking for none.
 */
export function pageWords<Words>(
  c: Context<AppEnv>,
  table: Record<string, Words> & { en: Words },
): { lang: string; words: Words } {
  c.header('Vary', 'Accept-Language');
  const lang = pageLanguage(c.req.header('Accept-Language'), table, c.req.query('lang'));
  return { lang, words: table[lang] ?? table.en };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// The quote's bar at the start edge of the line: its left, its right on an Arabic page.
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}' +
  'blockquote{border-inline-start:3px solid #ccc;margin:1rem 0;padding-inline-start:1rem}' +
  'button{font:inherit;padding:.5rem 1.25rem}';

/**
 * `content` and `footer` are HTML the caller built with escapeHtml; `title` is text in the language `lang`, laid out
 * right to left in Arabic.
 */
export function linkPage(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  title: string,
  content: string,
  footer = '',
  lang = 'en',
): Response {
  c.header('Cache-Control', 'no-store');
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
  return c.html(
    `<!doctype html><html lang="${escapeHtml(lang)}"${lang === 'ar' ? ' dir="rtl"' : ''}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${escapeHtml(title)} · Sala</title><style>${STYLE}</style></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${content}${footer}</body></html>`,
    status,
  );
}
