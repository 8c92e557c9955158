/** The Sala Worker: the public API under /api/v1 and the cron that repairs page snapshots. */
import { Hono } from 'hono';
import { except } from 'hono/combine';
import type { AppEnv } from './app-env.js';
import { renderError, renderNotFound } from './errors.js';
import { siteAccess } from './middleware/site-access.js';
import { admin } from './routes/admin.js';
import { comments } from './routes/comments.js';
import { counts } from './routes/counts.js';
import { repairDirtyThreads } from './storage/repair.js';

const app = new Hono<AppEnv>();

// The admin API is the owner's, on the Worker's own origin: no site's CORS, its own auth (routes/admin.ts).
app.use('/api/v1/*', except('/api/v1/admin/*', siteAccess()));
app.route('/api/v1/admin', admin);
app.route('/api/v1/comments', comments);
app.route('/api/v1/counts', counts);
app.onError(renderError);
app.notFound(renderNotFound);

export default {
  fetch: app.fetch,

  async scheduled(controller, env) {
    const report = await repairDirtyThreads(env.SALA, controller.scheduledTime);
    console.log('[sala] snapshot repair', JSON.stringify(report));
  },
} satisfies ExportedHandler<Env>;
