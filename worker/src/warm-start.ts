/**
 * Starts the startup warm-up (warm.ts) as the Worker's module loads. The worker tests load that module in every file
 * that makes a request, where the warm-up would add about 85 s to `npm test`: worker/vitest.config.ts puts
 * testing-warm-start.ts, which starts none, in this module's place; warm.test.ts runs the warm-up itself, and the
 * end-to-end tests run the Worker as `npm start` does, warm-up included.
 */
import { warmUp, type WarmWorker } from './warm.js';

export function startWarmUp(makeWorker: () => WarmWorker): void {
  void warmUp(makeWorker);
}
