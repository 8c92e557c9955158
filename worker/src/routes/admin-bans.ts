/** /api/v1/admin/sites/:site/bans: ban a commenter by email, name or IP hash, for a time or until lifted. */
import type { Ban, BanKind, BanListResponse, BanResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { banSubjectHash } from '../domain/identity-hashes.js';
import { ApiError, invalidField } from '../errors.js';
import { banId, BanStore, parseBanId } from '../storage/bans.js';
import { adminJson, asObject } from './admin-input.js';

export const adminBans = new Hono<AppEnv>();

const KINDS: readonly BanKind[] = ['email', 'ip', 'name'];
const MAX_SECONDS = 10 * 365 * 24 * 60 * 60;

function readValue(kind: BanKind, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidField('value', 'value is required.');
  const value = raw.trim();
  if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    throw invalidField('value', 'value is not an email address.');
  if (kind === 'email' && value.length > 254) throw invalidField('value', 'value is longer than 254 characters.');
  if (kind === 'name' && value.length > 64) throw invalidField('value', 'value is longer than 64 characters.');
  if (kind === 'ip' && !/^[0-9a-f]{32}$/i.test(value)) {
    throw invalidField('value', 'For an IP ban, send the ipHash shown with the comment.');
  }
  return kind === 'name' ? value : value.toLowerCase();
}

adminBans.get('/bans', async (c) =>
  c.json<BanListResponse>({ bans: await new BanStore(c.env.SALA).list(c.get('site').id) }),
);

adminBans.post('/bans', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const kind = fields.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind as BanKind)) {
    throw invalidField('kind', `kind must be one of ${KINDS.join(', ')}.`);
  }
  const value = readValue(kind as BanKind, fields.value);
  const duration = fields.durationSeconds;
  if (duration !== undefined && duration !== null) {
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 60 || duration > MAX_SECONDS) {
      throw invalidField('durationSeconds', 'durationSeconds must be a whole number from 60 to 10 years, or null.');
    }
  }
  const reason = fields.reason;
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 120)) {
    throw invalidField('reason', 'reason must be text of at most 120 characters.');
  }

  const subject = { kind: kind as BanKind, hash: await banSubjectHash(c.env.SALA_SECRET, kind as BanKind, value) };
  const now = Date.now();
  const ban: Ban = {
    id: banId(subject),
    kind: subject.kind,
    label: value,
    createdAt: new Date(now).toISOString(),
    expiresAt: typeof duration === 'number' ? new Date(now + duration * 1000).toISOString() : null,
  };
  if (typeof reason === 'string' && reason.trim() !== '') ban.reason = reason.trim();
  await new BanStore(c.env.SALA).put(c.get('site').id, subject, ban);
  return c.json<BanResponse>({ ban }, 201);
});

adminBans.delete('/bans/:id', async (c) => {
  const subject = parseBanId(c.req.param('id'));
  if (subject === null || !(await new BanStore(c.env.SALA).remove(c.get('site').id, subject))) {
    throw new ApiError('not_found', 404, 'There is no such ban.');
  }
  return c.body(null, 204);
});
