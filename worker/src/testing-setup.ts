/**
 * Runs before each worker test file (vitest.config.ts `setupFiles`). Local KV takes writes to a key at any rate, so the
 * second this isolate waits between two rebuilds of one page (KV's one write per second to a key) would only make each
 * test that changes a page twice wait; files that test the spacing set `SNAPSHOT_SPACING.ms` back. Likewise the second
 * and four a failed webhook waits before each quick retry: a test answers the retry at once whenever it comes, and the
 * test of the retries sets short delays of its own (`IMMEDIATE_RETRY_DELAYS.ms`).
 *
 * A test process's files share one isolate and its KV (`isolate: false`), so each starts as a new isolate would: module
 * state as evaluated (no later comment id, cached site or memo from the file before, nor the default Worker's usage
 * tally), and no dirty markers another
 * file left, as the cron's repair takes at most 500 a run (storage/repair.ts) and this file's pages would wait.
 */
import { env } from 'cloudflare:workers';
import { resetIsolateState } from './domain/isolate-state.js';
import { IMMEDIATE_RETRY_DELAYS } from './domain/webhooks.js';
import { DIRTY_PREFIX } from './storage/keys.js';
import { SNAPSHOT_SPACING } from './storage/thread-rebuild.js';

SNAPSHOT_SPACING.ms = 0;
IMMEDIATE_RETRY_DELAYS.ms = [0, 0];
resetIsolateState();
let listed = await env.SALA.list({ prefix: DIRTY_PREFIX });
while (listed.keys.length > 0) {
  await Promise.all(listed.keys.map((key) => env.SALA.delete(key.name)));
  listed = await env.SALA.list({ prefix: DIRTY_PREFIX });
}
