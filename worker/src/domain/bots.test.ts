import { isbot } from 'isbot';
import { describe, expect, it } from 'vitest';
import { isLikelyBot, isPlainBrowser, shouldCountView, viewDropReason } from './bots.js';

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

describe('isPlainBrowser: the user agents checked without the isbot list', () => {
  // Each form as browsers send it, with `#` where a version number goes.
  const FORMS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Safari/537.36',
    'Mozilla/5.0 (X11; CrOS x86_64 #.#.#) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Safari/537.36 Edg/#.#.#.#',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/#.0.0.0 Mobile Safari/537.36 EdgA/#.#.#.#',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:#.0) Gecko/20100101 Firefox/#.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:#.0) Gecko/20100101 Firefox/#.0',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:#.0) Gecko/20100101 Firefox/#.0',
    'Mozilla/5.0 (Android #; Mobile; rv:#.0) Gecko/#.0 Firefox/#.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/#.# Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS #_# like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/#.# Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (iPad; CPU OS #_#_# like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/#.#.# Mobile/15E148 Safari/604.1',
  ];
  // A fixed sequence of versions, short and long, so a failure names the same user agent every run.
  const versions = (form: string, seed: number) => {
    let n = seed;
    return form.replace(/#/g, () => String((n = (n * 7919 + 13) % 100_003) % [10, 200, 20_000][n % 3]!));
  };

  it.each(FORMS)('takes %s, whatever its versions, and the isbot list never flags it', (form) => {
    for (let seed = 1; seed <= 50; seed++) {
      const userAgent = versions(form, seed);
      expect(isPlainBrowser(userAgent), userAgent).toBe(true);
      expect(isbot(userAgent), userAgent).toBe(false);
      expect(isLikelyBot(userAgent), userAgent).toBe(false);
    }
  });

  it.each([
    [
      'Googlebot on a phone',
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ],
    [
      'Lighthouse',
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
    ],
    [
      'a browser form with a crawler appended',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 bingbot/2.0',
    ],
    [
      'HeadlessChrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    ],
    [
      'Googlebot on the desktop',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.0.0 Safari/537.36',
    ],
  ])('leaves %s to the isbot list, which flags it', (_name, userAgent) => {
    expect(isPlainBrowser(userAgent)).toBe(false);
    expect(isLikelyBot(userAgent)).toBe(true);
  });

  it('leaves other browsers to the isbot list, which counts them', () => {
    const samsung =
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36';
    expect(isPlainBrowser(samsung)).toBe(false);
    expect(isLikelyBot(samsung)).toBe(false);
  });
});
