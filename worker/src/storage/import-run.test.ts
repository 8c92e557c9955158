import { describe, expect, it } from 'vitest';
import { importWait } from './import-run.js';

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
