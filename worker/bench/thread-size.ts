/**
 * `npm run bench:thread-size -w worker`: what sending each comment parsed (`PublicComment.parsed`) costs. Bytes of a
 * 1,000-comment snapshot and of the first page GET /comments serves, with the body only, with body and parsed text
 * (what the Worker sends), and with the parsed text only; and the CPU of parsing the 1,000 comments, which the
 * snapshot's rebuild now does. Node's V8 on this machine: a guide to workerd's CPU, not a workerd measurement.
 * Comments are the readers' comments (`ham`) of tests/fixtures/spam/comments.jsonl, in turn, each numbered.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { LIMITS, packMarkdown, type PublicComment } from '@sala/protocol';
import { newCommentId } from '../src/domain/comment-id.js';
import { newComment } from '../src/domain/stored-comment.js';
import { buildSnapshot, threadPage, type ThreadSnapshot } from '../src/domain/thread.js';

const corpus = readFileSync(resolve(import.meta.dirname, '../../tests/fixtures/spam/comments.jsonl'), 'utf8');
const ham = corpus
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { label: string; body: string; author: string })
  .filter((comment) => comment.label === 'ham');

const START = Date.UTC(2026, 10, 1);
const ids = Array.from({ length: 1000 }, (_, index) => newCommentId(START + index * 60_000));
const stored = ids.map((id, index) => {
  const source = ham[index % ham.length]!;
  const now = new Date(START + index * 60_000);
  // A fifth are replies, to the comment before.
  const parentId = index % 5 === 4 ? ids[index - 1]! : null;
  return newComment(
    {
      pageId: 'https://blog.example.com/2026/11/walk',
      parentId,
      name: `${source.author} ${index}`,
      email: null,
      website: null,
      body: `${index}. ${source.body}`,
    },
    { id, now, avatar: id.slice(-16), tokenHash: 'h', status: 'approved' },
  );
});

const snapshot = buildSnapshot('https://blog.example.com/2026/11/walk', stored, new Date());

function without(key: 'body' | 'parsed'): ThreadSnapshot {
  return {
    ...snapshot,
    comments: snapshot.comments.map((comment) => {
      const { [key]: _dropped, ...rest } = comment;
      return rest as PublicComment;
    }),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
function sizes(value: unknown): string {
  const text = Buffer.from(JSON.stringify(value));
  const brotli = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const brotli5 = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  return `${kb(text.length)}${kb(gzipSync(text, { level: 6 }).length)}${kb(brotli5)}${kb(brotli)}`;
}

const firstPage = { sort: 'oldest', after: null, limit: LIMITS.pageSizeDefault } as const;
console.log(`${ham.length} readers' comments in turn, 1,000 comments, a fifth replies\n`);
console.log(
  `${'comments carry'.padEnd(40)}${'JSON'.padStart(10)}${'gzip 6'.padStart(10)}${'brotli 5'.padStart(10)}${'brotli 11'.padStart(10)}`,
);
for (const [name, shape] of [
  ['body only (before)', without('parsed')],
  ['body and parsed (sent now)', snapshot],
  ['parsed only', without('body')],
] as const) {
  console.log(`${`snapshot, ${name}`.padEnd(40)}${sizes(shape)}`);
  console.log(`${`first page, ${name}`.padEnd(40)}${sizes(threadPage(shape, firstPage))}`);
}

const bodies = stored.map((comment) => comment.body);
const times: number[] = [];
for (let run = 0; run < 21; run++) {
  const start = process.cpuUsage();
  for (const body of bodies) packMarkdown(body);
  const used = process.cpuUsage(start);
  times.push((used.user + used.system) / 1000);
}
const [first, ...warm] = times;
warm.sort((a, b) => a - b);
console.log(
  `\nparsing the 1,000 comments (packMarkdown, as the rebuild does): first run ${first!.toFixed(1)} ms, ` +
    `then median ${warm[Math.floor(warm.length / 2)]!.toFixed(1)} ms of CPU`,
);
