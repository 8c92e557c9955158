/**
 * /api/v1/admin: the owner's API. Signing in is the one route open to anyone; every route registered after the
 * ownerAuth middleware below refuses a request without a valid session or API token (admin.test.ts walks them).
 */
import { LIMITS } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { jsonBody } from '../middleware/json-body.js';
import { ownerAuth } from '../middleware/owner-auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { secretRequired } from '../middleware/secret-required.js';
import { adminSession, signIn } from './admin-session.js';
import { adminSites } from './admin-sites.js';
import { adminTokens } from './admin-tokens.js';
import { adminUsage } from './admin-usage.js';

export const admin = new Hono<AppEnv>();

const signInLimit = rateLimit({
  limiter: (env) => env.SIGN_IN_RATE_LIMITER,
  name: 'sign-in',
  message: 'Too many sign-in attempts; wait a minute.',
  periodSeconds: 60,
  withoutAddress: 'shared',
});

// Sessions and tokens are signed with SALA_SECRET: without it none could be trusted, so say which secret is missing.
admin.use('*', secretRequired());

// Registered before ownerAuth: Hono runs handlers in registration order, and this one answers without next().
admin.post('/session', signInLimit, jsonBody({ maxBytes: LIMITS.requestBytes }), signIn);

admin.use('*', ownerAuth());
admin.route('/session', adminSession);
admin.route('/tokens', adminTokens);
admin.route('/sites', adminSites);
admin.route('/usage', adminUsage);
