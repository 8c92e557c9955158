import { describe, expect, it } from 'vitest';
import { isLikelyBot, shouldCountView, viewDropReason } from './bots.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Headers a browser sends with `navigator.sendBeacon` from a blog page to the API's origin. */
function beaconHeaders(overrides: Record<string, string | null> = {}): Headers {
  const headers = new Headers({
    'user-agent': CHROME,
    origin: 'https://blog.example.com',
    'sec-fetch-site': 'cross-site',
    'sec-fetch-mode': 'no-cors',
    'sec-fetch-dest': 'empty',
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return headers;
}

describe('viewDropReason', () => {
  it.each([CHROME, SAFARI_IOS, FIREFOX])('counts a beacon from a reader browser (%s)', (userAgent) => {
    expect(viewDropReason(beaconHeaders({ 'user-agent': userAgent }))).toBeNull();
    expect(shouldCountView(beaconHeaders({ 'user-agent': userAgent }))).toBe(true);
  });

  it('counts a keepalive fetch in cors mode from the same site', () => {
    const headers = beaconHeaders({ 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' });
    expect(viewDropReason(headers)).toBeNull();
  });

  it.each([
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['curl', 'curl/8.5.0'],
    [
      'HeadlessChrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    ],
    ['a link previewer', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['Python', 'python-requests/2.31.0'],
  ])('drops %s as a crawler even with browser headers', (_name, userAgent) => {
    expect(viewDropReason(beaconHeaders({ 'user-agent': userAgent }))).toBe('crawler');
    expect(isLikelyBot(userAgent)).toBe(true);
  });

  it('does not take ordinary browsers for bots', () => {
    expect([CHROME, SAFARI_IOS, FIREFOX].some(isLikelyBot)).toBe(false);
  });

  it.each([
    ['sec-purpose', 'prefetch'],
    ['sec-purpose', 'prefetch;prerender'],
    ['purpose', 'prefetch'],
    ['x-moz', 'prefetch'],
    ['x-purpose', 'preview'],
  ])('drops a prefetched or prerendered page (%s: %s)', (name, value) => {
    expect(viewDropReason(beaconHeaders({ [name]: value }))).toBe('prefetch');
  });

  it('drops requests without a User-Agent', () => {
    expect(viewDropReason(beaconHeaders({ 'user-agent': null }))).toBe('no-user-agent');
    expect(viewDropReason(beaconHeaders({ 'user-agent': '  ' }))).toBe('no-user-agent');
  });

  it('drops requests without an Origin, or from an opaque one', () => {
    expect(viewDropReason(beaconHeaders({ origin: null }))).toBe('no-origin');
    expect(viewDropReason(beaconHeaders({ origin: 'null' }))).toBe('no-origin');
  });

  it('drops a browser-looking request without fetch metadata (a script faking a user agent)', () => {
    expect(viewDropReason(beaconHeaders({ 'sec-fetch-site': null }))).toBe('no-fetch-metadata');
    expect(viewDropReason(beaconHeaders({ 'sec-fetch-mode': null }))).toBe('no-fetch-metadata');
  });

  it('drops a navigation or a typed URL to the beacon endpoint', () => {
    expect(viewDropReason(beaconHeaders({ 'sec-fetch-mode': 'navigate' }))).toBe('not-a-beacon');
    expect(viewDropReason(beaconHeaders({ 'sec-fetch-site': 'none' }))).toBe('not-a-beacon');
    expect(shouldCountView(beaconHeaders({ 'sec-fetch-mode': 'navigate' }))).toBe(false);
  });
});
