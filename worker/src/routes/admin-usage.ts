/** /api/v1/admin/usage: today's estimated use of the free plan's daily limits, for the admin page's warning. */
import type { UsageResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { configuredSites } from '../storage/sites.js';
import { todaysUsage } from '../storage/usage.js';

export const adminUsage = new Hono<AppEnv>();

adminUsage.get('/', async (c) => {
  const now = Date.now();
  const sites = configuredSites(c.env).map((site) => site.id);
  const unreported = c.get('usage').peek(now);
  return c.json<UsageResponse>(await todaysUsage(c.env.SALA, sites, unreported, now));
});
