/** /api/v1/admin/sites/:site/bans: ban a commenter by email, name or IP hash, for a time or until lifted. */
import type { Ban, BanKind, BanListResponse, BanResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readBanReason, readBanValue } from '../domain/ban-input.js';
import { banSubjectHash } from '../domain/identity-hashes.js';
import { ApiError, invalidField } from '../errors.js';
import { banId, BanStore, parseBanId } from '../storage/bans.js';
import { adminJson, asObject } from './admin-input.js';

export const adminBans = new Hono<AppEnv>();

const KINDS: readonly BanKind[] = ['email', 'ip', 'name'];
const MAX_SECONDS = 10 * 365 * 24 * 60 * 60;

adminBans.get('/bans', async (c) =>
  c.json<BanListResponse>({ bans: await new BanStore(c.env.SALA).list(c.get('site').id) }),
);

adminBans.post('/bans', adminJson, async (c) => {
  const fields = asObject(c.get('jsonBody'));
  const kind = fields.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind as BanKind)) {
    throw invalidField('kind', `kind must be one of ${KINDS.join(', ')}.`);
  }
  const value = readBanValue(kind as BanKind, fields.value);
  const duration = fields.durationSeconds;
  if (duration !== undefined && duration !== null) {
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 60 || duration > MAX_SECONDS) {
      throw invalidField('durationSeconds', 'durationSeconds must be a whole number from 60 to 10 years, or null.');
    }
  }
  const reason = readBanReason(fields.reason);

  const subject = { kind: kind as BanKind, hash: await banSubjectHash(c.env.SALA_SECRET, kind as BanKind, value) };
  const now = Date.now();
  const ban: Ban = {
    id: banId(subject),
    kind: subject.kind,
    label: value,
    createdAt: new Date(now).toISOString(),
    expiresAt: typeof duration === 'number' ? new Date(now + duration * 1000).toISOString() : null,
  };
  if (reason !== null) ban.reason = reason;
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
