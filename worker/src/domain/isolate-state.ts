/**
 * What an isolate keeps at module level between requests (caches, memos, once-a-day notices), registered here so the
 * startup warm-up (warm.ts) can hand every piece back as module evaluation left it: the first real request sees
 * nothing of the warm-up's synthetic site. A module that adds such state registers it where it declares it.
 */
const resets: (() => void)[] = [];

/** Registers `state` (a Map, a Set, a cache with `clear()`) to be emptied by `resetIsolateState`; returns it. */
export function isolateState<T extends { clear(): void }>(state: T): T {
  resets.push(() => state.clear());
  return state;
}

/** Registers a reset for state that is not a collection (a `let` memo): it puts back the module's initial value. */
export function onIsolateReset(reset: () => void): void {
  resets.push(reset);
}

/** Puts every registered piece of module state back as the modules left it when they were evaluated. */
export function resetIsolateState(): void {
  for (const reset of resets) reset();
}
