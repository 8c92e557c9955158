/**
 * The mark on the startup warm-up's bindings (warm.ts), in a module of its own: `renderError` reads it, and code the
 * widgets share (domain/import-input.ts) imports errors.ts, so it must not bring the Worker with it.
 */

/**
 * Marks the warm-up's bindings (a symbol, so no var an operator sets can claim it; copied with them when spread): its
 * requests fail in workerd where a response is made, which is no error to log (`renderError`).
 */
export const WARM_UP = Symbol('sala warm-up');

/** Whether `env` is the warm-up's. */
export function isWarmUp(env: unknown): boolean {
  return typeof env === 'object' && env !== null && WARM_UP in env;
}
