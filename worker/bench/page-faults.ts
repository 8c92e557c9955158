/// <reference types="node" />
/**
 * Minor page faults: the kernel handing the process a page of memory on its first touch. Every large value a
 * request makes (a 0.4 MB snapshot head decoded to a string, a part's bytes copied out of KV) lands in memory that V8
 * or the allocator maps afresh unless it reuses memory freed earlier, and the first touch of each 4 KiB page faults.
 * What a fault costs depends on the machine more than on the code: a virtual machine that hands freed memory back to
 * its host pays a trip to the hypervisor on each. The CPU benches count them per invocation and say what one costs
 * here, so the share of a figure that is this machine's rather than Sala's can be read off (worker/README.md
 * "Page faults").
 */
import { spawnSync } from 'node:child_process';

/** The process's minor page faults so far (all its threads, as `process.cpuUsage()` counts all their CPU). */
export const minorFaults = (): number => process.resourceUsage().minorPageFault;

/**
 * Run in a fresh process, as its whole program (no imports, nothing from outside): the ms of CPU one minor fault
 * costs, the median over the rounds of 9 whose copy faulted on most of its pages of copying a 4 MiB buffer into
 * freshly allocated memory, less the same copy into memory already touched, per fault counted.
 */
function calibrate(): number {
  const size = 4 * 1024 * 1024;
  const cpu = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  };
  const faults = () => process.resourceUsage().minorPageFault;
  const source = new Uint8Array(size).fill(1);
  const touched = new Uint8Array(size).fill(2);
  const costs: number[] = [];
  // Each copy kept until the end, so no round gets memory an earlier one freed.
  const kept: Uint8Array[] = [];
  for (let round = 0; round < 9; round++) {
    let start = cpu();
    touched.set(source);
    const copy = cpu() - start;
    const before = faults();
    start = cpu();
    const fresh = source.slice(0);
    const freshCopy = cpu() - start;
    const faulted = faults() - before;
    kept.push(fresh);
    if (fresh[size - 1] === 1 && faulted >= size / 4096 / 2) costs.push(Math.max(0, freshCopy - copy) / faulted);
  }
  costs.sort((a, b) => a - b);
  return costs[Math.floor(costs.length / 2)] ?? Number.NaN;
}

/**
 * What one minor fault costs on this machine, in ms of CPU, measured in a child process: measuring it here would
 * leave freed memory the allocator hands to the bench's next values, sparing them the faults the bench counts.
 */
export function faultCostMs(): number {
  const child = spawnSync(process.execPath, ['-e', `process.stdout.write(String((${calibrate.toString()})()))`], {
    encoding: 'utf8',
  });
  return child.status === 0 ? Number(child.stdout) : Number.NaN;
}

/** One line saying what a fault costs here, for a bench's header. */
export function faultCostLine(costMs: number): string {
  return (
    `A minor page fault costs ${(costMs * 1000).toFixed(1)} µs of CPU on this machine (bench/page-faults.ts: ` +
    `copying 4 MiB into fresh memory, less the same copy into touched memory, per fault).`
  );
}
