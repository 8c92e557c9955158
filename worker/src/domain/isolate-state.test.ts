import { describe, expect, it } from 'vitest';

/**
 * The startup warm-up (warm.ts) runs real routes over a synthetic site, then empties what `isolateState` and
 * `onIsolateReset` registered. A module that keeps a new cache or memo without registering it would carry the
 * warm-up's site into the first real request: this reads every module of the Worker and names any such state.
 */
const sources = import.meta.glob<string>(['../**/*.ts', '!../**/*.test.ts', '!../**/testing*.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Module-level state that is not the warm-up's to reset, each with why. */
const NOT_STATE: Record<string, string> = {
  // A scratch buffer, grown and overwritten by each digest: it holds nothing a request reads back.
  'domain/thread.ts digestBytes': 'scratch',
  // The warm-up's own counters.
  'warm.ts batchIds': 'the warm-up',
  'warm.ts warming': 'the warm-up',
};

function unregistered(): string[] {
  const found: string[] = [];
  for (const [path, text] of Object.entries(sources)) {
    const file = path.startsWith('./') ? `domain/${path.slice(2)}` : path.slice(3);
    // What the module's resets name: one line, or a block closed at the start of a line.
    const resets = Array.from(
      text.matchAll(/onIsolateReset\(\(\) => (?:\{[\s\S]*?\n\}\)|.*)/g),
      ([reset]) => reset,
    ).join('\n');
    // An empty collection or a cache made at module level fills as requests come.
    const collections =
      /^(?:export )?const (\w+)(?::[^=\n]+)? = new (?:(?:Map|Set)\b[^(\n]*\(\)|(?:IsolateCache|RebuildQueue|RecentBodies)\b)/gm;
    for (const [, name] of text.matchAll(collections)) {
      if (!NOT_STATE[`${file} ${name}`]) found.push(`${file} ${name!}: wrap it in isolateState()`);
    }
    for (const [, name] of text.matchAll(/^(?:export )?let (\w+)/gm)) {
      if (!NOT_STATE[`${file} ${name}`] && !new RegExp(String.raw`\b${name}\b`).test(resets)) {
        found.push(`${file} ${name!}: reset it with onIsolateReset()`);
      }
    }
  }
  return found;
}

describe('module state the startup warm-up must hand back', () => {
  it('reads the Worker’s modules', () => {
    expect(Object.keys(sources)).toContain('../storage/threads.ts');
  });

  it('is all registered: every empty Map or Set, every cache and every let at module level', () => {
    expect(unregistered()).toEqual([]);
  });
});
