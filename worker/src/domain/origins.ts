/**
 * Which browser origins may call the API for a site. A site lists exact origins or patterns where `*` stands
 * for one host label (`https://*.example.com`) or any port (`http://localhost:*`).
 */

const ORIGIN = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?$/;
const PATTERN = /^(https?):\/\/([a-z0-9.*-]+)(?::(\d{1,5}|\*))?$/;

/** True when `origin` (an Origin header value) matches `pattern` (an entry of a site's `origins`). */
export function originMatches(origin: string, pattern: string): boolean {
  const actual = ORIGIN.exec(origin.toLowerCase());
  const wanted = PATTERN.exec(pattern.trim().toLowerCase());
  if (!actual || !wanted) return false;

  const [, scheme, host, port] = actual;
  const [, wantedScheme, wantedHost, wantedPort] = wanted;
  if (scheme !== wantedScheme) return false;
  if (wantedPort !== '*' && (port ?? '') !== (wantedPort ?? '')) return false;

  const labels = host!.split('.');
  const wantedLabels = wantedHost!.split('.');
  // One `*` is one label: `*.example.com` takes `blog.example.com`, not `example.com` or `a.b.example.com`.
  return (
    labels.length === wantedLabels.length &&
    wantedLabels.every((label, i) => (label === '*' ? labels[i] !== '' : label === labels[i]))
  );
}

export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => originMatches(origin, pattern));
}

/** Whether `pattern` is something `originMatches` can match: an origin, `*` for one host label or any port. */
export function isOriginPattern(pattern: string): boolean {
  const match = PATTERN.exec(pattern.trim().toLowerCase());
  return match !== null && match[2]!.split('.').every((label) => label === '*' || /^[a-z0-9-]+$/.test(label));
}
