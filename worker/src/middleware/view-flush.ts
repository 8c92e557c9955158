/**
 * Gives handlers this isolate's view counter and writes its due batches on every request, not only on beacons:
 * a page's widget requests keep an isolate's buffer moving even while its beacons are few (integration note 3).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { ViewCounter } from '../storage/view-counter.js';

export function viewFlush(counter: ViewCounter): MiddlewareHandler<AppEnv> {
  return async function viewFlush(c, next) {
    c.set('viewCounter', counter);
    const writing = counter.flushDue(c.env.SALA, Date.now());
    if (writing !== null) {
      // After the response: a reader's page never waits for a batch write.
      let executionCtx: Pick<ExecutionContext, 'waitUntil'> | null = null;
      try {
        executionCtx = c.executionCtx;
      } catch {
        // No execution context (a test calling app.request): write before answering instead.
      }
      if (executionCtx) executionCtx.waitUntil(writing);
      else await writing;
    }
    await next();
  };
}
