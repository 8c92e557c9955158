/**
 * The Sala Worker: the public API under /api/v1, and the cron that repairs page snapshots, resumes queued imports
 * (and sweeps the shares of abandoned ones) and rebuilds the popular posts and recent comments. `createWorker` makes
 * one isolate's instance (its own view buffers).
 */
import { Hono } from 'hono';
import { except } from 'hono/combine';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from './app-env.js';
import { renderError, renderNotFound } from './errors.js';
import { secretRequired } from './middleware/secret-required.js';
import { siteAccess } from './middleware/site-access.js';
import { viewFlush } from './middleware/view-flush.js';
import { admin } from './routes/admin.js';
import { comments } from './routes/comments.js';
import { emailLinks } from './routes/email-links.js';
import { feeds } from './routes/feeds.js';
import { moderationLinks } from './routes/moderation-links.js';
import { retryDeliveries } from './routes/notifications.js';
import { counts } from './routes/counts.js';
import { popular } from './routes/popular.js';
import { recentComments } from './routes/recent-comments.js';
import { views } from './routes/views.js';
import { cronRun } from './domain/cron-schedule.js';
import { isDailyLimitError } from './domain/daily-limit.js';
import { isolateState, onIsolateReset } from './domain/isolate-state.js';
import { devPageReads, type DevPageReads } from './domain/page-verification.js';
import { UsageTally } from './domain/usage.js';
import type { ViewBufferOptions } from './domain/view-buffer.js';
import { meteredKv } from './storage/metered-kv.js';
import { resumeImports } from './storage/import-run.js';
import { sweepImportShares } from './storage/import-sweep.js';
import { FetchBudget, PageVerification } from './storage/page-verification.js';
import { repairDirtyThreads } from './storage/repair.js';
import { refreshSiteLists } from './storage/site-lists.js';
import { configuredSites } from './storage/sites.js';
import { ViewCounter } from './storage/view-counter.js';
import { WARM_WORKER, warmedUp } from './warm.js';
import { startWarmUp } from './warm-start.js';

const app = new Hono<AppEnv>();

// The admin API is the owner's, on the Worker's own origin: no site's CORS, its own auth (routes/admin.ts).
// Links in mails and chat messages carry no Origin and no site query; their signed token is the authority.
// Feeds name their site in the path and are read by feed readers, which send no Origin.
app.use(
  '/api/v1/*',
  except(['/api/v1/admin/*', '/api/v1/moderation-links/*', '/api/v1/email-links/*', '/api/v1/feeds/*'], siteAccess()),
);
// Links in mails are signed with SALA_SECRET: without it they name the secret to set, not "something went wrong".
app.use('/api/v1/moderation-links/*', secretRequired());
app.use('/api/v1/email-links/*', secretRequired());
app.route('/api/v1/admin', admin);
app.route('/api/v1/moderation-links', moderationLinks);
app.route('/api/v1/email-links', emailLinks);
app.route('/api/v1/comments', comments);
app.route('/api/v1/counts', counts);
app.route('/api/v1/views', views);
app.route('/api/v1/popular', popular);
app.route('/api/v1/recent-comments', recentComments);
app.route('/api/v1/feeds', feeds);
app.onError(renderError);
app.notFound(renderNotFound);

/** The SALA_DEV_PAGE_READS value last warned about: a mistake is logged once, not on every run of the dev cron. */
let warnedDevReads: string | undefined;
onIsolateReset(() => (warnedDevReads = undefined));

/** The page reads `SALA_DEV_PAGE_READS` asks for (local development only), or null; a mistake is logged once. */
function devReadsOf(env: Env): DevPageReads | null {
  const reads = devPageReads(env.SALA_DEV_PAGE_READS);
  if (reads === null || !('problem' in reads)) return reads;
  if (warnedDevReads !== env.SALA_DEV_PAGE_READS) console.warn(`[sala] config: ${reads.problem}`);
  warnedDevReads = env.SALA_DEV_PAGE_READS;
  return null;
}

export interface WorkerOptions {
  /** This isolate's view buffers (flush age and size); the cost benchmark varies them. */
  views?: ViewBufferOptions;
  /** Use this counter (made with `views`) instead of a new one, to watch what the isolate holds unwritten. */
  viewCounter?: ViewCounter;
  /** Use this tally of the free plan's limits instead of a new one. */
  usage?: UsageTally;
  /** Pages the cron may read per run; PAGE_VERIFICATION.fetchesPerRun unless given (the startup warm-up reads none). */
  pageFetchesPerRun?: number;
  /** Where the cron's reports go; `console` unless given (the startup warm-up's go nowhere). */
  log?: Pick<Console, 'log'>;
}

/**
 * One isolate's Worker. Buffered views live in the instance, as they live in an isolate's memory in production:
 * the cost benchmark runs several instances, and drops one to model an evicted isolate (DESIGN.md rule 6).
 * Must be called after every route above is registered: `route()` copies the app's routes when it is called.
 */
export function createWorker(options: WorkerOptions = {}) {
  const usage = options.usage ?? new UsageTally();
  const viewCounter = options.viewCounter ?? new ViewCounter(options.views, usage);
  const log = options.log ?? console;
  // Not Hono's default router: it compiles every route into one regular expression per method on the first request,
  // 7 to 11 ms of a new isolate's first request (worker/README.md "CPU time"); the trie is built as routes are added.
  const isolate = new Hono<AppEnv>({ router: new TrieRouter() });
  isolate.use('/api/v1/*', async function usageTally(c, next) {
    c.set('usage', usage);
    await next();
  });
  isolate.use('/api/v1/*', viewFlush(viewCounter));
  /** `env` with its KV counted in this isolate's tally (admin page: today's use of the free plan). */
  const metered = (env: Env): Env => ({ ...env, SALA: meteredKv(env.SALA, usage) });
  isolate.route('/', app);
  isolate.onError(renderError);
  isolate.notFound(renderNotFound);

  return {
    fetch(request: Request, env: Env, ctx: ExecutionContext) {
      usage.count('requests', 1, Date.now());
      return isolate.fetch(request, metered(env), ctx);
    },

    async scheduled(controller: ScheduledController, bindings: Env) {
      const env = metered(bindings);
      // `npm run dev` only: write the buffered views before the lists are rebuilt, so the local demo shows them
      // within a minute instead of after the flush age (scripts/dev-cron.ts fires this handler; production never sets it).
      if (env.SALA_DEV_FLUSH_VIEWS === 'true') await viewCounter.flushAll(env.SALA, Date.now());
      // One heavy stage per run (domain/cron-schedule.ts): the free plan stops an invocation after 10 ms of CPU.
      const run = cronRun(controller.scheduledTime);
      const report = await stage('snapshot repair', () => repairDirtyThreads(env.SALA, controller.scheduledTime));
      log.log('[sala] snapshot repair', JSON.stringify(report));
      // Imports paused by yesterday's writes resume in the first runs after 00:00 UTC, within today's budget.
      const resumed = run.imports
        ? await stage('queued imports', () => resumeImports(env, usage, controller.scheduledTime))
        : undefined;
      if (resumed !== undefined && resumed.length > 0) log.log('[sala] queued imports', JSON.stringify(resumed));
      // Then, in the same nightly runs, the shares of big posts whose import was abandoned (a pass from the 00:00 run;
      // a run whose imports wrote threads leaves it to the next).
      const swept = run.imports
        ? await stage('import shares sweep', () =>
            sweepImportShares(env.SALA, controller.scheduledTime, {
              busy: resumed !== undefined && resumed.length > 0,
            }),
          )
        : undefined;
      if (swept != null) log.log('[sala] import shares sweep', JSON.stringify(swept));
      if (run.webhookRetries) {
        log.log('[sala] webhook retries', JSON.stringify(await stage('webhook retries', () => retryDeliveries(env))));
      }

      // A run whose imports wrote threads spent its CPU time on them: their recent comments wait for the next run.
      const recentComments = resumed !== undefined && resumed.length > 0 ? 'none' : run.recentComments;
      // Page reads share one invocation's CPU and subrequests over every site (storage/page-verification.ts); under
      // `npm run dev`, more of them, and a page that failed is read again on the next run (SALA_DEV_PAGE_READS).
      const devReads = devReadsOf(env);
      const pageFetches = new FetchBudget(options.pageFetchesPerRun ?? devReads?.fetchesPerRun, devReads?.retryMs);
      for (const site of configuredSites(env)) {
        const changed = report?.sites.includes(site.id) ?? false;
        const work = {
          popularity: run.popularity,
          recentComments: recentComments === 'every site' || (recentComments === 'changed sites' && changed),
          usage,
        };
        if (work.popularity === 'none' && !work.recentComments) continue;
        const lists = await stage(`lists of ${site.id}`, () =>
          refreshSiteLists(
            env.SALA,
            site.id,
            controller.scheduledTime,
            work,
            new PageVerification(env.SALA, site, pageFetches),
          ),
        );
        log.log('[sala] popular posts and recent comments', JSON.stringify(lists));
      }
      // The cron is a request too: an isolate it lands on writes its due views like any other.
      await viewCounter.flushDue(env.SALA, Date.now());
    },
  } satisfies ExportedHandler<Env>;
}

/** Runs one stage of the cron: a failing one (a KV hiccup, a bad record) must not cost the run the others. */
async function stage<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isDailyLimitError(error)) {
      console.warn(
        `[sala] cron stage "${name}" stopped at the KV daily limit (${String(error)}); a run after 00:00 UTC picks up`,
      );
    } else {
      console.error(`[sala] cron stage "${name}" failed`, error);
    }
    return undefined;
  }
}

// Compiles the common routes and the cron's stages while the isolate starts, on an instance and data of their own:
// startup has a limit of its own (1 s), the first request 10 ms of CPU (warm.ts; worker/README.md).
startWarmUp(() => createWorker(WARM_WORKER));

// Its tally is module state like any other (domain/isolate-state.ts): a test file starts as a new isolate would, not
// with the usage the files before it counted, which a cron it runs would store as today's.
const worker = createWorker({ usage: isolateState(new UsageTally()) });

/**
 * This isolate's Worker. Its handlers wait for the warm-up first: in workerd it has settled by the end of the module's
 * evaluation, so that is one microtask; were it ever still running, a request must not meet its reset of the module's
 * state halfway (warm.ts).
 */
export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    await warmedUp();
    return worker.fetch(request, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env) {
    await warmedUp();
    return worker.scheduled(controller, env);
  },
} satisfies ExportedHandler<Env>;
