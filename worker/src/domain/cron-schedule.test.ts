import { describe, expect, it } from 'vitest';
import { cronRun, type CronRun } from './cron-schedule.js';

const HOUR = Date.parse('2030-01-10T10:00:00Z');
/** The six runs of one hour of the `*\/10 * * * *` trigger, and a run that fires a few seconds late. */
const RUNS = [0, 10, 20, 30, 40, 50].map((minute) => cronRun(HOUR + minute * 60_000));

const heavyStages = (run: CronRun) =>
  [run.popularity !== 'none', run.imports, run.recentComments !== 'none'].filter(Boolean).length;

describe('the cron schedule', () => {
  it('folds the views on :10, the first run more than 5 minutes after an hour ends, and ranks on :20 and :50', () => {
    expect(RUNS.map((run) => run.popularity)).toEqual(['none', 'fold', 'rank', 'none', 'none', 'rank']);
    expect(cronRun(HOUR + 10 * 60_000 + 7_000).popularity).toBe('fold');
  });

  it('rebuilds every site’s recent comments after a ranking run, a changed site’s within 30 minutes', () => {
    expect(RUNS.map((run) => run.recentComments)).toEqual([
      'changed sites',
      'none',
      'none',
      'every site',
      'changed sites',
      'none',
    ]);
  });

  it('resumes queued imports on every run without popularity, and retries webhooks twice an hour', () => {
    expect(RUNS.map((run) => run.imports)).toEqual([true, false, false, true, true, false]);
    expect(RUNS.map((run) => run.webhookRetries)).toEqual([true, false, false, true, false, false]);
  });

  it('never gives a popularity run another heavy stage', () => {
    const popularity = RUNS.filter((candidate) => candidate.popularity !== 'none');
    expect(popularity).toHaveLength(3);
    for (const run of popularity) expect(heavyStages(run)).toBe(1);
  });
});
