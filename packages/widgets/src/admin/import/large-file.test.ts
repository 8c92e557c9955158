/**
 * How large an import file the owner's browser reads as the Import tab reads it: a generated 8 MB Disqus export (the
 * largest format per comment) read in slices while the page stays responsive; then a 20 MB Sala export, read in slices
 * a thread at a time. Prints the time each took (and the longest main-thread task); asserts only what the owner would
 * see (every comment there, progress, a click answered meanwhile) and what the reading holds at once. Parsing such files
 * whole (`parseImportFile`, as the tab did before it read in slices) is timed against slices by
 * `npm run bench:import -w worker`; this file parsed a 20 MB Disqus and a 20 MB Sala export whole too, 20 to 60 s of
 * CPU on a loaded machine for two figures the bench gives, asserting what the tests below assert.
 */
import { describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { ExportThread } from '@sala/protocol';
import { DEFAULT_IMPORT_OPTIONS, type ImportPlan } from './plan.js';
import { readImportFile, type ReadProgress } from './read-file.js';

const TARGET_BYTES = 20 * 1024 * 1024;
const POSTS_PER_THREAD = 20;

/** A Sala export as the admin page saves it (indented), of threads of `POSTS_PER_THREAD` comments, replies chained. */
function generatedSalaExport(targetBytes: number): { text: string; threads: number; comments: number } {
  const threads: ExportThread[] = [];
  let bytes = 0;
  let comments = 0;
  while (bytes < targetBytes) {
    const thread: ExportThread = { pageId: `https://blog.example/2020/01/post-${threads.length + 1}`, comments: [] };
    for (let i = 0; i < POSTS_PER_THREAD; i++) {
      comments++;
      thread.comments.push({
        id: `c${comments}`,
        parentId: i > 0 ? `c${comments - 1}` : null,
        author: { name: `Reader ${i}`, email: `reader${i}@example.com` },
        body: 'A comment long enough to look like one, with **bold**, a [link](https://example.com/x) and {braces}.',
        createdAt: '2020-01-01T00:00:00.000Z',
        status: 'approved',
      });
    }
    threads.push(thread);
    bytes += JSON.stringify(thread, null, 2).length;
  }
  const site = { site: 'demo', name: 'Demo', settings: {}, bans: [], ipBansLeftOut: 0, threads };
  const text = JSON.stringify({ version: 1, exportedAt: '2026-12-01T00:00:00.000Z', sites: [site] }, null, 2);
  return { text, threads: threads.length, comments };
}

/** The longest main-thread task (`longtask`: those of 50 ms or more) while `run` runs; 0 when none was that long. */
async function longestTask<T>(run: () => Promise<T>): Promise<{ result: T; longestMs: number }> {
  // The caller's task (the file generated, a second or more) ends first: it is not the reading's.
  await new Promise((resolve) => setTimeout(resolve, 0));
  let longestMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestMs = Math.max(longestMs, entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const result = await run();
  // Entries are delivered in a task of their own, after the ones they describe.
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const entry of observer.takeRecords()) longestMs = Math.max(longestMs, entry.duration);
  observer.disconnect();
  return { result, longestMs };
}

/**
 * Reads `file` as the Import tab does while the owner clicks another control, a real click from the browser: its
 * handler runs only when the page has the main thread. The reading starts as the button is pressed and the button is
 * let go 100 ms later, so the click falls within the reading however quick the machine (the reading takes 0.4 s and
 * more) and however slow the test's round trips to the browser (half a second on a loaded one, which let a reading
 * started before the click end first); a reading that kept the main thread would end before the click was handled.
 * Says whether the click was handled while the reading ran, after some of its progress.
 */
async function readWhileClicking(
  file: Blob,
  onProgress: (step: ReadProgress) => void,
): Promise<{ plan: ImportPlan; clickedWhileReading: boolean }> {
  const other = document.createElement('button');
  other.textContent = 'Another control';
  document.body.append(other);
  let reading: Promise<ImportPlan> | undefined;
  let finished = false;
  let progressEvents = 0;
  let clickedWhileReading: boolean | null = null;
  other.addEventListener('mousedown', () => {
    reading ??= readImportFile(file, DEFAULT_IMPORT_OPTIONS, {
      onProgress: (step) => {
        progressEvents++;
        onProgress(step);
      },
    });
    void reading.then(() => (finished = true));
  });
  other.addEventListener('click', () => (clickedWhileReading ??= progressEvents > 0 && !finished));
  try {
    await page.getByRole('button', { name: 'Another control' }).click({ delay: 100 });
    expect(reading, 'the button was pressed').toBeDefined();
    return { plan: await reading!, clickedWhileReading: clickedWhileReading === true };
  } finally {
    other.remove();
  }
}

function generatedDisqus(targetBytes: number): { text: string; threads: number; posts: number } {
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  ];
  let bytes = parts[0]!.length;
  let threads = 0;
  let posts = 0;
  const message =
    '<p>A comment long enough to look like one, with <b>bold</b> and a <a href="https://example.com/x">link</a>.</p>';
  while (bytes < targetBytes) {
    threads++;
    const thread = `<thread dsq:id="t${threads}"><id/><link>https://blog.example/2020/01/post-${threads}.html</link><title>Post ${threads}</title><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`;
    parts.push(thread);
    bytes += thread.length;
    for (let i = 0; i < POSTS_PER_THREAD; i++) {
      posts++;
      const parent = i > 0 ? `<parent dsq:id="p${posts - 1}"/>` : '';
      const post = `<post dsq:id="p${posts}"><id/><message><![CDATA[${message}]]></message><createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><email>reader${i}@example.com</email><name>Reader ${i}</name><isAnonymous>false</isAnonymous></author><ipAddress>203.0.113.7</ipAddress><thread dsq:id="t${threads}"/>${parent}</post>\n`;
      parts.push(post);
      bytes += post.length;
    }
  }
  parts.push('</disqus>\n');
  return { text: parts.join(''), threads, posts };
}

describe('a large import file', () => {
  it('is read in slices while the page answers a click, with progress on the way', async () => {
    const { text, threads, posts } = generatedDisqus(8 * 1024 * 1024);
    const file = new Blob([text]);
    const progress: ReadProgress[] = [];
    const started = performance.now();
    const { plan, clickedWhileReading } = await readWhileClicking(file, (step) => progress.push(step));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `import: read a ${(file.size / 1024 / 1024).toFixed(1)} MB Disqus export in slices (${posts} comments) in ${seconds.toFixed(2)} s, ${progress.length} progress events`,
    );
    expect(clickedWhileReading).toBe(true);
    expect(progress.filter((step) => step.phase === 'reading').length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ phase: 'building', done: posts, total: posts });
    expect(plan.threads).toHaveLength(threads);
    expect(plan.counts.approved).toBe(posts);
    expect(plan.threads.at(-1)!.comments.at(-1)!.parentSourceId).toBe(`p${posts - 1}`);
  }, 120_000);
});

describe('a 20 MB Sala export', () => {
  it('is read in slices a thread at a time while the page answers a click, with progress on the way', async () => {
    const { text, threads, comments } = generatedSalaExport(TARGET_BYTES);
    const file = new Blob([text]);
    // What is parsed at once: a thread, not the file (nor the file's text kept whole for one parse). Not `vi.spyOn`:
    // it would keep every text parsed.
    let longestParsed = 0;
    const parse = JSON.parse;
    JSON.parse = (json: string, reviver) => {
      longestParsed = Math.max(longestParsed, json.length);
      return parse(json, reviver) as unknown;
    };

    const progress: ReadProgress[] = [];
    const started = performance.now();
    const {
      result: { plan, clickedWhileReading },
      longestMs,
    } = await longestTask(() => readWhileClicking(file, (step) => progress.push(step)));
    const seconds = (performance.now() - started) / 1000;
    JSON.parse = parse;
    console.log(
      `import: read a ${(file.size / 1024 / 1024).toFixed(1)} MB Sala export in slices (${threads} threads, ${comments} comments) in ${seconds.toFixed(2)} s, ${progress.length} progress events, longest main-thread task ${longestMs.toFixed(0)} ms (0: none of 50 ms), longest text parsed at once ${longestParsed} characters`,
    );
    expect(clickedWhileReading).toBe(true);
    expect(longestParsed).toBeLessThan(text.length / 100);
    expect(progress.filter((step) => step.phase === 'reading').length).toBeGreaterThan(1);
    expect(progress.filter((step) => step.phase === 'building').length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ phase: 'building', done: comments, total: comments });
    expect(plan.threads).toHaveLength(threads);
    expect(plan.counts.approved).toBe(comments);
    expect(plan.threads.at(-1)!.comments.at(-1)).toMatchObject({
      sourceId: `c${comments}`,
      parentSourceId: `c${comments - 1}`,
    });
  }, 120_000);
});
