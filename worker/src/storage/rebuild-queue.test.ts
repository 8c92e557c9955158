import { env } from 'cloudflare:workers';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { IsolateCache } from './isolate-cache.js';
import { RebuildQueue } from './rebuild-queue.js';
import { scheduleRebuild, SNAPSHOT_SPACING } from './thread-rebuild.js';

/** A rebuild that records when it ran and can be held open until released. */
function recordingRebuild() {
  const runs: number[] = [];
  let release: () => void = () => {};
  let held = Promise.resolve();
  return {
    runs,
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    rebuild: async () => {
      runs.push(Date.now());
      await held;
    },
  };
}

describe('RebuildQueue', () => {
  it('folds every change made during a rebuild into one follow-up run', async () => {
    const queue = new RebuildQueue(0);
    const page = recordingRebuild();
    page.hold();
    const first = queue.schedule('p', page.rebuild);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const followUps = Array.from({ length: 10 }, () => queue.schedule('p', page.rebuild));
    page.release();
    expect(await Promise.all([first, ...followUps])).toEqual(Array(11).fill(true));
    expect(page.runs).toHaveLength(2);
  });

  it('keeps runs of one page at least the interval apart, other pages unaffected', async () => {
    const queue = new RebuildQueue(200);
    const page = recordingRebuild();
    const other = recordingRebuild();
    await queue.schedule('p', page.rebuild);
    const startedSecond = Date.now();
    await Promise.all([queue.schedule('p', page.rebuild), queue.schedule('q', other.rebuild)]);
    expect(page.runs[1]! - startedSecond).toBeGreaterThanOrEqual(150);
    expect(other.runs[0]! - startedSecond).toBeLessThan(150);
  });

  it("spaces a page's rebuilds SNAPSHOT_SPACING apart, as it is at each run", async () => {
    // The tests' setup shortened it to nothing (testing-setup.ts); a page's rebuilds are a second apart in production.
    expect(SNAPSHOT_SPACING.ms).toBe(0);
    onTestFinished(() => void (SNAPSHOT_SPACING.ms = 0));
    const page = { site: 'blog.example.com', pageHash: crypto.randomUUID().replaceAll('-', '') };
    const gaps: number[] = [];
    for (const spacing of [0, 400]) {
      SNAPSHOT_SPACING.ms = spacing;
      await scheduleRebuild(env.SALA, page);
      const finished = Date.now();
      expect(await scheduleRebuild(env.SALA, page)).toBe(true);
      gaps.push(Date.now() - finished);
    }
    expect(gaps[0]).toBeLessThan(300);
    expect(gaps[1]).toBeGreaterThanOrEqual(350);
    expect(gaps[1]).toBeLessThan(900);
  });

  // Its memory bound: at 1,000 pages known it forgets the idle ones (their runs' spacing long past), not a busy one.
  it('forgets a page idle for longer than the gap once it knows 1,000, and keeps one still rebuilding', async () => {
    let gapMs = 0;
    const queue = new RebuildQueue(() => gapMs);
    const idle = recordingRebuild();
    const busy = recordingRebuild();
    await queue.schedule('idle', idle.rebuild);
    busy.hold();
    const busyFirst = queue.schedule('busy', busy.rebuild);
    await Promise.all(Array.from({ length: 998 }, (_, i) => queue.schedule(`p${i}`, async () => {})));
    // A moment on, every page but the busy one has been idle for longer than the gap.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await queue.schedule('new', async () => {});
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

    // Still known: a change during its run waits for the run to end, as one page's runs never overlap.
    const busyAgain = queue.schedule('busy', busy.rebuild);
    await turn();
    expect(busy.runs).toHaveLength(1);
    busy.release();
    expect(await Promise.all([busyFirst, busyAgain])).toEqual([true, true]);
    expect(busy.runs).toHaveLength(2);

    // Forgotten: with the gap grown to a minute since, its next run starts at once, as a page never rebuilt does.
    gapMs = 60_000;
    const idleAgain = queue.schedule('idle', idle.rebuild);
    await turn();
    expect(idle.runs).toHaveLength(2);
    expect(await idleAgain).toBe(true);
  });

  it('reports a failed rebuild as false and keeps serving the page', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const queue = new RebuildQueue(0);
    const failing = queue.schedule('p', async () => {
      throw new Error('KV PUT failed: 429 Too Many Requests');
    });
    expect(await failing).toBe(false);
    expect(await queue.schedule('p', async () => {})).toBe(true);
  });
});

describe('IsolateCache', () => {
  it('serves a value read from KV until it is maxAgeMs old, then asks for a new read', () => {
    const cache = new IsolateCache<string>(5_000, 100);
    cache.fromRead('a', 'first', 1, 1_000, cache.readStarted());
    expect(cache.get('a', 6_000)).toBe('first');
    expect(cache.get('a', 6_001)).toBeUndefined();
    // A clock that went backwards (or a copy dated in the future) is not trusted either.
    cache.fromRead('b', 'later', 1, 9_000, cache.readStarted());
    expect(cache.get('b', 8_000)).toBeUndefined();
  });

  it('keeps what this isolate wrote over a read that began before the write', () => {
    const cache = new IsolateCache<string>(5_000, 100);
    const started = cache.readStarted();
    cache.written('a', 'written', 1, 1_000);
    cache.fromRead('a', 'stale read', 1, 1_000, started);
    expect(cache.get('a', 1_000)).toBe('written');
  });

  it('drops the least recently used values past maxSize, and never holds one larger than it', () => {
    const cache = new IsolateCache<string>(5_000, 10);
    cache.fromRead('a', 'a', 4, 0, cache.readStarted());
    cache.fromRead('b', 'b', 4, 0, cache.readStarted());
    expect(cache.get('a', 0)).toBe('a'); // a is now the most recently used
    cache.fromRead('c', 'c', 4, 0, cache.readStarted());
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['a', undefined, 'c']);
    cache.written('huge', 'huge', 11, 0);
    expect(cache.get('huge', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBe('c');
  });
});
