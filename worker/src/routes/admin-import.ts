/**
 * /api/v1/admin/sites/:site/import: comments from another system (or a Sala export), parsed in the owner's browser
 * and sent in batches of whole threads. POST checks the whole batch, writes what today's KV writes allow and queues
 * the rest for the cron after 00:00 UTC; GET says how much waits.
 */
import type { ImportResponse, ImportStatusResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { dailyLimitResetAt, isDailyLimitError } from '../domain/daily-limit.js';
import { IMPORT_LIMITS, readImportRequest } from '../domain/import-input.js';
import { ApiError } from '../errors.js';
import { jsonBody } from '../middleware/json-body.js';
import { ImportQueue } from '../storage/import-queue.js';
import { importBudget, importThreads, lazyBudget } from '../storage/import-run.js';

export const adminImport = new Hono<AppEnv>();

adminImport.post('/import', jsonBody({ maxBytes: IMPORT_LIMITS.requestBytes }), async (c) => {
  const site = c.get('site');
  const kv = c.env.SALA;
  const now = new Date();
  const request = await readImportRequest(c.get('jsonBody'), { secret: c.env.SALA_SECRET, siteId: site.id, now });
  const budget = lazyBudget(() => importBudget(c.env, c.get('usage'), now.getTime()));
  const run = await importThreads(kv, site.id, request.threads, budget, now);
  if (run.unwritten.length === 0) return c.json<ImportResponse>({ threads: run.results });

  const resumesAt = dailyLimitResetAt(now.getTime()).toISOString();
  try {
    await new ImportQueue(kv).add(site.id, {
      source: request.source,
      queuedAt: now.toISOString(),
      threads: run.unwritten,
    });
  } catch (error) {
    if (!isDailyLimitError(error)) throw error;
    const written = run.results.length - run.unwritten.length;
    throw new ApiError(
      'daily_limit_reached',
      503,
      written === 0
        ? "Importing is paused until 00:00 UTC: this comment server has used its free plan's daily KV writes. Nothing was saved; send this batch again then."
        : `Importing is paused until 00:00 UTC: this comment server has used its free plan's daily KV writes. The first ${written} threads of this batch were saved; send the batch again then (they come back unchanged).`,
      undefined,
      undefined,
      resumesAt,
    );
  }
  return c.json<ImportResponse>({ threads: run.results, resumesAt });
});

adminImport.get('/import', async (c) => {
  const waiting = await new ImportQueue(c.env.SALA).waiting(c.get('site').id);
  const status: ImportStatusResponse = { queuedThreads: waiting.threads, queuedComments: waiting.comments };
  if (waiting.threads > 0) status.resumesAt = dailyLimitResetAt(Date.now()).toISOString();
  return c.json<ImportStatusResponse>(status);
});
