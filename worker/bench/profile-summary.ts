/**
 * Where the time of a CPU profile went, by function: `node bench/profile-summary.ts <file> [rows]`. The file is one
 * V8 profile (`node --cpu-prof`) or an array of them (routes-cpu's `BENCH_PROFILE`), summed. "self" is time in the
 * function itself, "total" time with what it called (each function counted once per sample, however deep it recurs).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.ts <profile file> [rows to print]');
const read = JSON.parse(readFileSync(file, 'utf8')) as Profile | Profile[];
const profiles = Array.isArray(read) ? read : [read];

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const { nodes, samples, timeDeltas } of profiles) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    return `${functionName || '(anonymous)'}${where}`;
  };
  samples.forEach((id, i) => {
    // A sample's time is the gap to the next one; the last has none recorded, so it takes the one before.
    const us = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    all += us;
    const leaf = byId.get(id)!;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + us);
    }
  });
}

const rows = Number(rowsArg ?? 30);
const ms = (us: number) => (us / 1000 / profiles.length).toFixed(2).padStart(8);
console.log(`${profiles.length} profile(s), ${ms(all)} ms each on average; per profile:`);
for (const [title, map] of [
  ['self', self],
  ['total', total],
] as const) {
  console.log(`\n${title.padStart(8)}  function`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${ms(us)}  ${name}`);
}
