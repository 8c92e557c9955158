import { describe, expect, it } from 'vitest';
import { importWait } from '../storage/import-run.js';
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

const at = (iso: string) => Date.parse(iso);
const room = { writes: 100, lists: 100 };

describe('importWait: when queued threads are written, as GET /import tells the owner', () => {
  it("with today's writes or lists spent, at the next 00:00 UTC, naming which ran out", () => {
    expect(importWait({ writes: 0, lists: 100 }, at('2026-12-05T00:35:00Z'), 3)).toEqual({
      resumesAt: new Date('2026-12-06T00:00:00Z'),
      queuedFor: 'writes',
    });
    expect(importWait({ writes: 100, lists: 0 }, at('2026-12-05T18:00:00Z'), 3)).toEqual({
      resumesAt: new Date('2026-12-06T00:00:00Z'),
      queuedFor: 'lists',
    });
  });

  it('with room left in the resume hours, at the next cron run that resumes imports', () => {
    // :10 and :20 are popularity runs (domain/cron-schedule.ts): the :30 one takes imports.
    expect(importWait(room, at('2026-12-05T00:05:00Z'), 3)).toEqual({ resumesAt: new Date('2026-12-05T00:30:00Z') });
    expect(importWait(room, at('2026-12-05T01:40:00Z'), 3)).toEqual({ resumesAt: new Date('2026-12-06T00:00:00Z') });
  });

  it('with fewer writes left than the next queued thread needs, at the next 00:00 UTC, though some are left', async () => {
    // 3 writes left, the next thread 5 (a closed thread with a pending comment): no run before midnight takes it.
    expect(importWait({ writes: 3, lists: 100 }, at('2026-12-05T00:05:00Z'), 5)).toEqual({
      resumesAt: new Date('2026-12-06T00:00:00Z'),
      queuedFor: 'writes',
    });
    expect(importWait({ writes: 5, lists: 100 }, at('2026-12-05T00:05:00Z'), 5)).toEqual({
      resumesAt: new Date('2026-12-05T00:30:00Z'),
    });
  });

  it('with room left past the resume hours, at the first run after 00:00 UTC', () => {
    expect(importWait(room, at('2026-12-05T18:12:00Z'), 3)).toEqual({ resumesAt: new Date('2026-12-06T00:00:00Z') });
  });
});
