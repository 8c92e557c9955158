/// <reference types="node" />
/**
 * CPU time of one run of the cron's sweep of import shares (storage/import-sweep.ts `sweepImportShares`, the 00:00 run)
 * against the free plan's 10 ms per invocation, over an in-memory KV (bench/memory-kv.ts: metadata parsed by every
 * list, streams handed over chunk by chunk): the first run in a fresh Node process that ran none of its code before
 * (its module loaded before the clock, as a cron isolate has), and the median of 15 warm runs. Values are made up to
 * the size the writer gives them (a published post's document head with its last comment alone, as the Import tab
 * sends it; a snapshot head's first line with its 42 parts' refs), not made by the import's code.
 *
 *   npm run bench:cpu:sweep -w worker    (a part of `npm run bench:cpu`)
 */
// First: the Worker's module loads under workerd's global-scope rules, with its startup warm-up, as a cron isolate
// starts (bench/global-scope.ts, as bench/cpu-cron.ts): what a first run pays then is the sweep's own.
import { leaveGlobalScope } from './global-scope.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { sweepImportShares } from '../src/storage/import-sweep.js';
import { importedPartKey, importedThreadKey, threadKey, threadPartKey, type PageRef } from '../src/storage/keys.js';
import { MemoryKv, type KvSnapshot } from './memory-kv.js';
import '../src/index.js';
import { warmedUp } from '../src/warm.js';

await warmedUp();
leaveGlobalScope();

const NOW = Date.parse('2030-04-01T00:00:00Z');
const WRITTEN = NOW - 10 * 24 * 3_600_000;
const PARTS = 42;
const WARM_RUNS = 15;

interface Scenario {
  name: string;
  published: number;
  abandoned: number;
  merged: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'nothing to sweep', published: 0, abandoned: 0, merged: 0 },
  { name: '20 published 43-part posts (840 parts, 20 heads read)', published: 20, abandoned: 0, merged: 0 },
  { name: '1 abandoned 43-part post (60 deletes)', published: 0, abandoned: 1, merged: 0 },
  { name: '1 post merged whole (its snapshot head parsed, 42 deletes)', published: 0, abandoned: 0, merged: 1 },
  { name: '19 published and 1 abandoned (listed, 20 heads, 60 deletes)', published: 19, abandoned: 1, merged: 0 },
];

let counter = 0;
const hex = (length: number) => {
  counter++;
  let text = '';
  for (let i = 0; text.length < length; i++)
    text += ((counter * 7919 + i * 104729) % 65536).toString(16).padStart(4, '0');
  return text.slice(0, length);
};
const digest = () => Buffer.from(hex(36), 'hex').toString('base64url').slice(0, 24);

const storedComment = (n: number) =>
  JSON.stringify({
    id: `01HZX${String(n).padStart(21, '0')}`,
    parentId: null,
    authorName: `Reader ${n}`,
    authorEmail: `reader-${n}@example.com`,
    body: 'What a reader wrote, about as long as a comment on a blog post is: a few sentences. '.repeat(4),
    createdAt: '2021-03-04T05:00:00.000Z',
    status: 'approved',
    source: { kind: 'disqus', id: `${n}` },
  });

async function seedPost(kv: MemoryKv, page: PageRef, kind: 'published' | 'abandoned' | 'merged'): Promise<void> {
  const ids = Array.from({ length: PARTS }, digest);
  for (const id of ids) {
    const run = `[${Array.from({ length: 50 }, (_, c) => storedComment(c)).join(',')}]`;
    await kv.put(importedPartKey(page, `d${id}`), run, { metadata: { at: WRITTEN } });
    await kv.put(threadPartKey(page, `r${id}`), 'x'.repeat(40_000), { metadata: { at: WRITTEN } });
    await kv.put(threadPartKey(page, `s${id}`), 'x'.repeat(6_000), { metadata: { at: WRITTEN } });
  }
  if (kind === 'abandoned') return;
  const parts = ids.map((id) => `d${id}`);
  const head = { pageId: 'https://blog.example.com/a-post', updatedAt: '2030-03-20T00:00:00.000Z', comments: [] };
  if (kind === 'published') {
    const text = JSON.stringify({ ...head, pageUrl: head.pageId, title: 'A post', parts }).replace(
      '"comments":[]',
      `"comments":[${storedComment(9999)}]`,
    );
    await kv.put(importedThreadKey(page), text, { metadata: { pieces: digest(), ends: ['a', 'b'], parts: PARTS } });
  } else {
    // Merged: the document whole (2,101 comments), no `parts` in its metadata; the snapshot head names the parts.
    const whole = `[${Array.from({ length: 2101 }, (_, c) => storedComment(c)).join(',')}]`;
    await kv.put(importedThreadKey(page), JSON.stringify({ ...head, comments: null }).replace('null', whole), {
      metadata: { ends: ['a', 'b'] },
    });
  }
  const refs = ids.map((id, p) => ({
    id: `r${id}`,
    count: 50,
    last: `01HZX${String(p * 50 + 49).padStart(21, '0')}`,
    chars: 40_000,
    bodies: 'f'.repeat(15 * 50),
    sources: `s${id}`,
    digest: digest(),
  }));
  const fields = JSON.stringify({ pageId: head.pageId, total: 2101, builtAt: head.updatedAt, parts: refs });
  const index = Array.from({ length: 2101 }, (_, c) => `"${String(c).padStart(26, '0')}.1"`).join(',\n');
  await kv.put(threadKey(page), `${fields.slice(0, -1)},"index":[\n${index}\n],"sources":[\n\n],"comments":[\n\n]}`);
}

async function seed(scenario: Scenario): Promise<MemoryKv> {
  const kv = new MemoryKv();
  const kinds = [
    ...Array<'published'>(scenario.published).fill('published'),
    ...Array<'abandoned'>(scenario.abandoned).fill('abandoned'),
    ...Array<'merged'>(scenario.merged).fill('merged'),
  ];
  for (const kind of kinds) await seedPost(kv, { site: 'demo', pageHash: hex(32) }, kind);
  return kv;
}

async function measure(kv: MemoryKv): Promise<{ ms: number; operations: number; report: unknown }> {
  kv.resetCounts();
  const before = process.cpuUsage();
  const report = await sweepImportShares(kv.namespace, NOW);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, operations: kv.operations, report };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const first = process.argv.indexOf('--first-run');
  if (first !== -1) {
    const kv = new MemoryKv();
    kv.restore(deserialize(readFileSync(process.argv[first + 1]!)) as KvSnapshot);
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(JSON.stringify(await measure(kv)));
    return;
  }
  console.log(`Import shares sweep, CPU per run (ms, process.cpuUsage user+system, Node ${process.version})`);
  for (const [index, scenario] of SCENARIOS.entries()) {
    const kv = await seed(scenario);
    const snapshot = kv.snapshot();
    const file = join(dirname(self), `sweep-kv-${index}.bin`);
    writeFileSync(file, serialize(snapshot));
    const firsts = [];
    for (let run = 0; run < 5; run++) {
      const child = spawnSync(process.execPath, ['--expose-gc', self, '--first-run', file], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      firsts.push(JSON.parse(child.stdout) as { ms: number; operations: number; report: unknown });
    }
    const warm = [];
    for (let run = 0; run < 1 + WARM_RUNS; run++) {
      kv.restore(snapshot);
      warm.push(await measure(kv));
    }
    const ms = firsts.map((one) => one.ms);
    console.log(
      `${scenario.name.padEnd(62)} first run ${median(ms).toFixed(1)} (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}), warm ${median(warm.slice(1).map((one) => one.ms)).toFixed(1)}, ${firsts[0]!.operations} KV ops, ${JSON.stringify(firsts[0]!.report)}`,
    );
  }
}

await main();
