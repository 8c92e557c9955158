/**
 * `npm run bench:cost`: one day of a blog replayed on the real Worker in workerd, with modelled isolates and
 * virtual time, counting every request and KV operation against the free plan and comparing the popular-posts
 * lists with the true counts. Prints its figures; asserts nothing about them (they are for people to read).
 */
import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, it, vi } from 'vitest';
import { postPage } from './blog.js';
import { printResult, printSummary } from './report.js';
import { replay, type ReplayResult, type Scenario } from './replay.js';
import { scenario } from './scenarios.js';
import { DAY, HOUR } from './traffic.js';

const FIRST_DAY = Date.UTC(2030, 2, 5);
const results: ReplayResult[] = [];

async function run(row: Scenario): Promise<void> {
  await reset(); // each row starts from an empty namespace
  vi.useFakeTimers({ toFake: ['Date'] });
  // The blog itself, which the cron reads for what the lists show (storage/page-verification.ts).
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const html = postPage(new Request(input as RequestInfo).url);
    return html === null
      ? new Response('Not found', { status: 404 })
      : new Response(html, { headers: { 'Content-Type': 'text/html; charset=UTF-8' } });
  });
  try {
    // Each row replays a later day: ids made from the clock (comments, markers) only ever increase in an isolate.
    const result = await replay(row, env, 'bench', FIRST_DAY + results.length * 2 * DAY);
    results.push(result);
    printResult(result);
  } finally {
    vi.useRealTimers();
    vi.restoreAllMocks();
  }
}

/** Sensitivity rows replay 1 in 10 widget GETs and count the rest (TrafficModel.replayedWidgetShare), to run fast. */
const FAST = { replayedWidgetShare: 0.1 };

it('base: 20,000 views, nine locations with one isolate each', () => run(scenario('base', {}, {})));

it('more isolates: two per location', () =>
  run(scenario('more isolates (2 per location)', FAST, { isolatesPerLocation: 2 })));

it('shorter flush age: 10 minutes', () =>
  run(scenario('flush age 10 min', FAST, { views: { maxAgeMs: 10 * 60_000 } })));

it('longer isolate lifetimes: 12 hours on average', () =>
  run(scenario('isolates live 12 h on average', FAST, { meanLifetimeMs: 12 * HOUR })));

it('200,000 views sampled 1 in 10', () =>
  run(scenario('200k views, sample 1 in 10', { views: 200_000, sampleRate: 10, replayedWidgetShare: 0.02 }, {})));

afterAll(() => {
  printSummary(results);
});
