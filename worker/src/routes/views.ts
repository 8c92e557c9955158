/**
 * /api/v1/views: the view beacon a Sala element sends once per reader per page per day. It answers 204 at once
 * and writes nothing itself: the view waits in this isolate's buffer for the next batch (worker/README.md).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { viewDropReason } from '../domain/bots.js';
import { addressSubject } from '../domain/identity-hashes.js';
import { originAllowed } from '../domain/origins.js';
import { asksNotToTrack, readerHash } from '../domain/reader.js';
import { utcDay } from '../domain/utc-time.js';
import { parseViewBeacon } from '../domain/view-beacon.js';
import { ApiError, invalidField } from '../errors.js';
import { readLimited } from '../middleware/json-body.js';

export const views = new Hono<AppEnv>();

/** A page id and a few short texts; room for a long title and description before the Worker cuts them. */
export const VIEW_BEACON_MAX_BYTES = 16 * 1024;

/**
 * text/plain is what `sendBeacon` and a keepalive fetch send without a CORS preflight (a JSON content type would
 * cost one more request per view); application/json is taken too.
 */
const BEACON_TYPES = /^(text\/plain|application\/json)\s*(;|$)/i;

/** The beacon's JSON body, size-capped; jsonBody() is not used because it requires application/json. */
async function readBeacon(c: Context<AppEnv>): Promise<unknown> {
  if (!BEACON_TYPES.test(c.req.header('Content-Type') ?? '')) {
    throw new ApiError('unsupported_media_type', 415, 'Send the view as JSON, typed text/plain or application/json.');
  }
  if (Number(c.req.header('Content-Length')) > VIEW_BEACON_MAX_BYTES) {
    throw new ApiError('payload_too_large', 413, `The request body is larger than ${VIEW_BEACON_MAX_BYTES} bytes.`);
  }
  const bytes = await readLimited(c.req.raw.body, VIEW_BEACON_MAX_BYTES);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new ApiError('invalid_json', 400, 'The request body is not valid UTF-8 JSON.');
  }
}

views.post('/', async (c) => {
  const site = c.get('site');
  const headers = c.req.raw.headers;
  // A dropped view gets the same 204 as a counted one: the answer must not tell a bot how to pass.
  const dropped =
    viewDropReason(headers) ?? (site.respectDoNotTrack && asksNotToTrack(headers) ? 'do-not-track' : null);
  if (dropped !== null) {
    console.log('[sala] view not counted:', dropped, site.id);
    return c.body(null, 204);
  }

  const workerOrigin = new URL(c.req.url).origin;
  const beacon = parseViewBeacon(await readBeacon(c), {
    isAllowedOrigin: (origin) => origin === workerOrigin || originAllowed(origin, site.origins),
    sampleRate: site.viewSampleRate,
  });
  if (!beacon.ok) throw invalidField(beacon.field, `${beacon.message}.`);

  const now = Date.now();
  const ip = c.req.header('CF-Connecting-IP') ?? '';
  const [reader, address] = await Promise.all([
    readerHash(c.env.SALA_SECRET, utcDay(now), ip, c.req.header('User-Agent') ?? ''),
    // The User-Agent is the script's to choose, and so is any address of an IPv6 /64: its network alone bounds
    // what one sender adds (worker/README.md).
    readerHash(c.env.SALA_SECRET, utcDay(now), addressSubject(ip), ''),
  ]);
  c.get('viewCounter').add(site.id, beacon.view, reader, now, address);
  return c.body(null, 204);
});
