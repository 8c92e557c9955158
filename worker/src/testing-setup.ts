/**
 * Runs before each worker test file (vitest.config.ts `setupFiles`). Local KV takes writes to a key at any rate, so the
 * second this isolate waits between two rebuilds of one page (KV's one write per second to a key) would only make each
 * test that changes a page twice wait; files that test the spacing set `SNAPSHOT_SPACING.ms` back. Likewise the second
 * and four a failed webhook waits before each quick retry: a test answers the retry at once whenever it comes, and the
 * test of the retries sets short delays of its own (`IMMEDIATE_RETRY_DELAYS.ms`).
 */
import { IMMEDIATE_RETRY_DELAYS } from './domain/webhooks.js';
import { SNAPSHOT_SPACING } from './storage/thread-rebuild.js';

SNAPSHOT_SPACING.ms = 0;
IMMEDIATE_RETRY_DELAYS.ms = [0, 0];
