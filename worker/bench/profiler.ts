/// <reference types="node" />
/**
 * The benches' `BENCH_PROFILE`: an inspector session sampling every 100 µs, started and stopped around the runs a
 * bench chooses; the profiles it writes are summed by `node bench/profile-summary.ts <file>`.
 */
import { Session } from 'node:inspector/promises';

/** A connected session with the profiler enabled when `file` is set (`BENCH_PROFILE`), else null. */
export async function profilerFor(file: string | undefined): Promise<Session | null> {
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  return session;
}
