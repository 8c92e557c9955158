import { describe, expect, it } from 'vitest';
import { cronRun, type CronRun } from './cron-schedule.js';

const HOUR = Date.parse('2030-01-10T10:00:00Z');
/** The six runs of one hour of the `*\/10 * * * *` trigger, and a run that fires a few seconds late. */
const RUNS = [0, 10, 20, 30, 40, 50].map((minute) => cronRun(HOUR + minute * 60_000));

const heavyStages = (run: CronRun) =>
  [run.popularity, run.imports, run.recentComments !== 'none'].filter(Boolean).length;

describe('the cron schedule', () => {
  it('runs popularity on :10 and :40, the first runs more than 5 minutes after an hour ends', () => {
    expect(RUNS.map((run) => run.popularity)).toEqual([false, true, false, false, true, false]);
    expect(cronRun(HOUR + 10 * 60_000 + 7_000).popularity).toBe(true);
  });

  it('rebuilds every site’s recent comments twice an hour after the popularity runs, a changed site’s within 20 minutes', () => {
    expect(RUNS.map((run) => run.recentComments)).toEqual([
      'changed sites',
      'none',
      'every site',
      'changed sites',
      'none',
      'every site',
    ]);
  });

  it('resumes queued imports on every run but the popularity ones, and retries webhooks twice an hour', () => {
    expect(RUNS.map((run) => run.imports)).toEqual([true, false, true, true, false, true]);
    expect(RUNS.map((run) => run.webhookRetries)).toEqual([true, false, false, true, false, false]);
  });

  it('never gives the popularity run another heavy stage', () => {
    for (const run of RUNS.filter((candidate) => candidate.popularity)) expect(heavyStages(run)).toBe(1);
  });
});
