/**
 * config.ts as the embed build has it (rollup.config.ts): elements talk to the Worker that served their chunk, which
 * is the one that served embed.js. Known as the chunk runs, so no element is defined before it has its API, and the
 * embed waits for no settings chunk before the element's own.
 */
import type { SalaElement } from './sala-element.js';

const workerOrigin = new URL(import.meta.url).origin;

/** As in config.ts, where a later `setDefaultApi()` also reaches them; the embed has none. */
export const connectedElements = new Set<SalaElement>();

export function getDefaultApi(): string | undefined {
  return workerOrigin;
}
