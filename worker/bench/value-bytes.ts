/**
 * `npm run bench:value-bytes -w worker`: what one megabyte of a KV value costs to handle, whatever the code does
 * with it: copied into fresh memory (what a KV read hands back, and what a put sends), copied into memory already
 * used before, encoded to and decoded from UTF-8 (Node's TextEncoder and TextDecoder, and V8's own UTF-8 paths, which
 * workerd uses for a `'text'` read and a string put), and parsed as JSON. A snapshot's every read and write pays some
 * of these in proportion to its size, so they bound what a thread's one-value snapshot can cost (worker/README.md
 * "CPU time"). Node's V8 on this machine, medians of 30 runs after 10, process CPU.
 */
import { loadavg } from 'node:os';

const RUNS = 30;
const WARM_UP = 10;

/** Comment-like JSON lines of about `bytes` bytes, the words of each line from `words`. */
function valueOf(words: string, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = JSON.stringify({ id: `c${i}`, body: `${words} `.repeat(12), createdAt: new Date(i).toISOString() });
    lines.push(line);
    size += Buffer.byteLength(line) + 2;
  }
  return lines.join(',\n');
}

const cpuMs = (work: () => unknown): number => {
  // The process's clock: the thread's (getrusage RUSAGE_THREAD) counts in 4 ms ticks here.
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

function median(work: () => unknown): number {
  const times: number[] = [];
  for (let run = -WARM_UP; run < RUNS; run++) {
    const ms = cpuMs(work);
    if (run >= 0) times.push(ms);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

const MB = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const kept = new Uint8Array(4 * MB);
let sink: unknown;

console.log(
  `Node ${process.version}; load average at the start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
// Memory the process has never used costs its first touch (the kernel maps and zeroes each page): measured once,
// first, on 32 MB; once the allocator hands back memory freed before, a copy costs what the rows below say.
const untouched = new Uint8Array(32 * MB).fill(1);
const firstTouch = cpuMs(() => new Uint8Array(32 * MB).set(untouched)) / 32;
console.log(`copy into memory never used before: ${firstTouch.toFixed(2)} ms per MB`);
console.log('ms per MB of value (CPU)                      ASCII   Latin-1     Khmer');
const kinds = [
  valueOf('a few words about the river walk', MB),
  valueOf('à few wörds about the rivèr walk', MB),
  valueOf('ពាក្យខ្លះអំពីការដើរលេងតាមដងទន្លេ', MB),
];
const bytes = kinds.map((text) => encoder.encode(text));
const perMb = (index: number, ms: number) => ms / (bytes[index]!.length / MB);
const rows: [string, (index: number) => () => unknown][] = [
  ['copy into a new array (ArrayBuffer slice)', (i) => () => (sink = bytes[i]!.buffer.slice(0))],
  ['copy into memory already used', (i) => () => kept.set(bytes[i]!)],
  // A new string each run, flat, as a KV put gets it: a string encoded before is not encoded faster.
  ['encode: TextEncoder.encode', (i) => () => (sink = encoder.encode(`${kinds[i]!} `))],
  ["encode: V8's UTF-8 (Buffer.from)", (i) => () => (sink = Buffer.from(`${kinds[i]!} `, 'utf8'))],
  ['decode: TextDecoder.decode', (i) => () => (sink = decoder.decode(bytes[i]!))],
  ["decode: V8's UTF-8 (buffer.toString)", (i) => () => (sink = Buffer.from(bytes[i]!.buffer).toString('utf8'))],
  ['JSON.parse of the decoded value', (i) => () => (sink = JSON.parse(`[${kinds[i]!}]`))],
];
// A first pass unprinted: it leaves the allocator memory to reuse, as an isolate that has run a while has.
for (const [, make] of rows) kinds.forEach((_, i) => median(make(i)));
for (const [name, make] of rows) {
  const cells = kinds.map((_, i) =>
    perMb(i, median(make(i)))
      .toFixed(2)
      .padStart(9),
  );
  console.log(`${name.padEnd(44)}${cells.join(' ')}`);
}
void sink;
