/**
 * Where a comment may link to, apart from the Markdown parser (markdown.ts): the widgets render the Worker's
 * already parsed comments with only these, and fetch the parser only for a preview or an old snapshot.
 */

/** `rel` every rendered comment link carries: no SEO credit, no opener access, no referrer. */
export const LINK_REL = 'nofollow ugc noopener noreferrer';

/**
 * The URL a link may point to, or null. Only absolute http, https and mailto URLs pass; `javascript:`,
 * `data:`, relative and protocol-relative URLs, and anything with spaces or control characters do not.
 */
export function safeHref(raw: string): string | null {
  const candidate = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (candidate === '' || /[\s\u0000-\u001f\u007f<>"]/.test(candidate)) return null;
  if (/^mailto:/i.test(candidate)) {
    return /^mailto:[^@/?#]+@[^@/?#]+\.[^@/?#]+$/i.test(candidate) ? `mailto:${candidate.slice(7)}` : null;
  }
  if (!/^https?:\/\//i.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
