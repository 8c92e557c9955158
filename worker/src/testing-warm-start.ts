/** warm-start.ts in the worker tests: no warm-up as the module loads (see there). */
export function startWarmUp(): void {}
