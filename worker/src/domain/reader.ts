/**
 * Who is reading, as far as view counting needs to know: a hash that tells one reader's repeated beacons
 * apart from another's for one day, and whether the reader asked not to be tracked. Nothing here is stored.
 */
import { toHex } from './bytes.js';
import { isolateState } from './isolate-state.js';

const keys = isolateState(new Map<string, Promise<CryptoKey>>());

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/**
 * HMAC-SHA256(secret, day, IP address, User-Agent), 16 bytes as hex. Keyed with the Worker's secret so a hash
 * cannot be tested against guessed addresses, and with the UTC day so one day's hashes say nothing about the
 * next day's. It only lives in an isolate's memory, for the once-per-day dedupe.
 */
export async function readerHash(secret: string, day: string, ip: string, userAgent: string): Promise<string> {
  const signature = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret),
    new TextEncoder().encode(`${day}\n${ip}\n${userAgent}`),
  );
  return toHex(signature).slice(0, 32);
}

/** True when the browser sends Do Not Track (`DNT: 1`) or Global Privacy Control (`Sec-GPC: 1`). */
export function asksNotToTrack(headers: Headers): boolean {
  return headers.get('dnt')?.trim() === '1' || headers.get('sec-gpc')?.trim() === '1';
}
