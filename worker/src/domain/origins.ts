/**
 * Which browser origins may call the API for a site. A site lists exact origins or patterns where `*` stands
 * for one host label (`https://*.example.com`) or any port (`http://localhost:*`).
 */

/** An IPv6 host, in brackets as an origin writes it (`http://[::1]:8787`): one label, never a wildcard. */
const IPV6_HOST = String.raw`\[[0-9a-f]*:[0-9a-f:.]*\]`;
const ORIGIN = new RegExp(String.raw`^(https?):\/\/([a-z0-9.-]+|${IPV6_HOST})(?::(\d{1,5}))?$`);
const PATTERN = new RegExp(String.raw`^(https?):\/\/([a-z0-9.*-]+|${IPV6_HOST})(?::(\d{1,5}|\*))?$`);

/** True when `origin` (an Origin header value) matches `pattern` (an entry of a site's `origins`). */
export function originMatches(origin: string, pattern: string): boolean {
  const actual = ORIGIN.exec(origin.toLowerCase());
  const wanted = PATTERN.exec(pattern.trim().toLowerCase());
  if (!actual || !wanted) return false;

  const [, scheme, host, port] = actual;
  const [, wantedScheme, wantedHost, wantedPort] = wanted;
  if (scheme !== wantedScheme) return false;
  if (wantedPort !== '*' && (port ?? '') !== (wantedPort ?? '')) return false;

  // Browsers send an IPv6 host in its shortest form; an entry may be written longer (`[0:0::1]`).
  if (isIpv6(host!) || isIpv6(wantedHost!)) return host === canonicalIpv6(wantedHost!);
  const labels = host!.split('.');
  const wantedLabels = wantedHost!.split('.');
  // One `*` is one label: `*.example.com` takes `blog.example.com`, not `example.com` or `a.b.example.com`.
  return (
    labels.length === wantedLabels.length &&
    wantedLabels.every((label, i) => (label === '*' ? labels[i] !== '' : label === labels[i]))
  );
}

function isIpv6(host: string): boolean {
  return host.startsWith('[');
}

export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => originMatches(origin, pattern));
}

/** Whether `pattern` is something `originMatches` can match: an origin, `*` for one host label or any port. */
export function isOriginPattern(pattern: string): boolean {
  const match = PATTERN.exec(pattern.trim().toLowerCase());
  if (match === null) return false;
  const host = match[2]!;
  if (isIpv6(host)) return canonicalIpv6(host) !== null;
  return host.split('.').every((label) => label === '*' || /^[a-z0-9-]+$/.test(label));
}

/** The address as browsers write it in an Origin header (`[::1]` for `[0:0::1]`); null when it is no IPv6 address. */
function canonicalIpv6(host: string): string | null {
  if (!isIpv6(host)) return null;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

/** An origin as a person wrote it, read into the pattern to match with, and what reading it had to correct. */
export interface WrittenOrigin {
  /** The bare origin or pattern, lowercased: `https://myblog.blogspot.com`. */
  pattern: string;
  /** A path, query or trailing slash after the origin was dropped (`https://myblog.blogspot.com/2024/`). */
  droppedPath: boolean;
  /** No scheme was written (`myblog.blogspot.com`), so `https://` was assumed. */
  addedScheme: boolean;
}

/**
 * Reads an origin the way people copy one from the address bar, with a trailing slash or a path, or without
 * `https://`; null when even then it is no origin (`ftp://…`, `https://my blog`).
 */
export function readWrittenOrigin(written: string): WrittenOrigin | null {
  let text = written.trim().toLowerCase();
  const addedScheme = !/^[a-z][a-z0-9+.-]*:\/\//.test(text);
  if (addedScheme) text = `https://${text}`;
  const [, origin = '', rest = ''] = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/s.exec(text) ?? [];
  // An IPv6 host is written the way the browser sends it (`[0:0::1]` becomes `[::1]`), so the two can match.
  const pattern = origin.replace(/\[[^\]]*\]/, (host) => canonicalIpv6(host) ?? host);
  if (!isOriginPattern(pattern)) return null;
  return { pattern, droppedPath: rest !== '', addedScheme };
}

/**
 * True when `origin` is one the cron may fetch a post from on the site's word (worker/README.md "Page metadata"):
 * an entry naming its host exactly, any port allowed by `:*` (one host is one owner). A `*` host label is never
 * enough: `https://*.blogspot.com` also takes every stranger's blog, whose pages a forger writes.
 */
export function isOwnOrigin(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const host = PATTERN.exec(pattern.trim().toLowerCase())?.[2] ?? '*';
    return !host.includes('*') && originMatches(origin, pattern);
  });
}
