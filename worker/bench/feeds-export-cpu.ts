/**
 * `npm run bench:cpu -w worker`: CPU time of the work the feeds and the export do per request, on the largest input
 * one request can meet, measured in Node (workerd freezes its clock during a request, so it cannot time itself).
 * Node's V8 is the engine Workers run; the figures are indicative of the free plan's 10 ms per invocation, not equal.
 */
import { LIMITS } from '@sala/protocol';
import { renderAtom, siteFeed, threadFeed, THREAD_FEED_ENTRIES, type FeedSource } from '../src/domain/atom-feed.js';
import { buildRecentComments, RECENT_COMMENTS, type RecentCommentsDocument } from '../src/domain/recent-comments.js';
import { EXPORT_PAGE_KEYS, toExportThreads } from '../src/domain/site-export.js';
import type { StoredComment } from '../src/domain/stored-comment.js';
import type { ThreadSnapshot } from '../src/domain/thread.js';

const RUNS = 200;
const PAGE = 'https://blog.example.com/2026/11/morning-walk';

/** A comment body of the largest allowed length, with every Markdown construct the renderer handles. */
function longBody(seed: number): string {
  const paragraph = `Comment ${seed}: **bold**, *emphasis*, \`code\`, a [link](https://example.com/${seed}) & <b>raw</b> text.\n`;
  let body = '> quoted line\n\n- item one\n- item two\n\n';
  while (body.length + paragraph.length < LIMITS.body) body += paragraph;
  return body;
}

function stored(i: number, pageId: string): StoredComment {
  return {
    id: `01JD${String(i).padStart(22, '0')}`,
    pageId,
    pageUrl: `${pageId}.html`,
    parentId: i % 5 === 0 ? null : `01JD${String(i - 1).padStart(22, '0')}`,
    status: 'approved',
    author: {
      name: `Reader ${i}`,
      email: `reader${i}@example.com`,
      website: 'https://example.com',
      avatar: 'f'.repeat(16),
    },
    body: longBody(i),
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    ipHash: 'a'.repeat(32),
    tokenHash: 'b'.repeat(64),
  };
}

/**
 * CPU time (user + system) of this process per run, not the wall clock: the machine may be busy with other work.
 * The median and 95th percentile of RUNS runs after 20 warm-up runs (V8 compiles hot code first, as a busy isolate has).
 */
async function measure(name: string, work: () => unknown): Promise<void> {
  for (let run = 0; run < 20; run++) await work();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.cpuUsage();
    await work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))]!.toFixed(2);
  console.log(`${name.padEnd(64)} median ${at(0.5)} ms CPU   p95 ${at(0.95)} ms   (free plan: 10 ms)`);
}

const source: FeedSource = {
  site: { id: 'blog', name: 'Mekong Notes', origins: ['https://blog.example.com'] },
  selfUrl: 'https://sala.example.workers.dev/api/v1/feeds/blog/comments.atom',
};

const snapshot: ThreadSnapshot = {
  pageId: PAGE,
  pageUrl: `${PAGE}.html`,
  total: THREAD_FEED_ENTRIES,
  comments: Array.from({ length: THREAD_FEED_ENTRIES }, (_, i) => {
    const { id, parentId, body, createdAt } = stored(i, PAGE);
    return { id, parentId, body, createdAt, author: { name: `Reader ${i}`, avatar: 'seed' } };
  }),
  builtAt: new Date().toISOString(),
};
const snapshotText = JSON.stringify(snapshot);

// As the cron builds it: the newest comments with their text cut for the feed.
const recent: RecentCommentsDocument = buildRecentComments(
  [snapshot],
  () => ({ url: `${PAGE}.html`, title: 'A morning walk', labels: [] }),
  [new URL(PAGE).origin],
  Date.now(),
);
const recentText = JSON.stringify(recent);

const exportValues = Array.from({ length: EXPORT_PAGE_KEYS }, (_, i) => JSON.stringify(stored(i, `${PAGE}-${i % 3}`)));

console.log(
  `Largest inputs: ${THREAD_FEED_ENTRIES} and ${RECENT_COMMENTS.depth} feed entries, ${EXPORT_PAGE_KEYS} export comments, each ${LIMITS.body.toLocaleString('en')} characters.`,
);
await measure(
  `thread feed: parse snapshot (${(snapshotText.length / 1024).toFixed(0)} KiB), render ${THREAD_FEED_ENTRIES} entries`,
  async () => renderAtom(await threadFeed(source, PAGE, JSON.parse(snapshotText) as ThreadSnapshot)),
);
await measure(
  `site feed: parse document (${(recentText.length / 1024).toFixed(0)} KiB), render ${RECENT_COMMENTS.depth} entries`,
  async () => renderAtom(await siteFeed(source, JSON.parse(recentText) as RecentCommentsDocument)),
);
await measure(`export page: parse ${EXPORT_PAGE_KEYS} comments, map, serialise`, () =>
  JSON.stringify({ threads: toExportThreads(exportValues.map((value) => JSON.parse(value) as StoredComment)) }),
);
