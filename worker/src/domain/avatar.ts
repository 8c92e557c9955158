/** Avatar seeds: stable per commenter, drawn in the browser, and impossible to turn back into an email. */
import { toHex } from './bytes.js';
import { isolateState } from './isolate-state.js';

/**
 * First 16 hex characters of HMAC-SHA256(secret, email or name). The same email gives the same avatar on every
 * comment; without the secret nobody can test a guessed address against a seed.
 */
export async function avatarSeed(secret: string, author: { name: string; email: string | null }): Promise<string> {
  return seedOf(secret, author.email !== null ? author.email.toLowerCase() : `name:${author.name}`);
}

/**
 * The site owner's seed. Its subject has neither an `@` nor the `name:` prefix, so no commenter's email or
 * name (a commenter could call themselves "owner:demo") can draw the owner's avatar.
 */
export function ownerAvatarSeed(secret: string, siteId: string): Promise<string> {
  return seedOf(secret, `owner:${siteId}`);
}

/** The HMAC key per secret, imported once per isolate: an import seeds hundreds of authors in one request. */
const keys = isolateState(new Map<string, Promise<CryptoKey>>());

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    const raw = new TextEncoder().encode(secret);
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Seeds this isolate computed lately, by secret and subject: an import's batches bring the same commenters again and
 * again (a blog's regulars), and each HMAC was the largest CPU cost of an imported comment after its checks.
 */
const seeds = isolateState(new Map<string, Promise<string>>());
const REMEMBERED_SEEDS = 2000;

function seedOf(secret: string, subject: string): Promise<string> {
  const key = `${secret}\n${subject}`;
  let seed = seeds.get(key);
  if (seed !== undefined) {
    // Most recently used last, so the oldest goes first.
    seeds.delete(key);
    seeds.set(key, seed);
    return seed;
  }
  seed = sign(secret, subject);
  seeds.set(key, seed);
  // A failed signature is not remembered.
  seed.catch(() => seeds.delete(key));
  if (seeds.size > REMEMBERED_SEEDS) seeds.delete(seeds.keys().next().value!);
  return seed;
}

async function sign(secret: string, subject: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await keyOf(secret), new TextEncoder().encode(subject));
  return toHex(signature).slice(0, 16);
}
