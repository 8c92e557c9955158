/**
 * How large an import file the owner's browser reads: a generated 20 MB Disqus export (the largest format per
 * comment), parsed end to end, whole; then one read in slices while the page stays responsive. Prints the time each
 * took; asserts only what the owner would see (every comment there, progress, a click answered meanwhile).
 */
import { describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS } from './plan.js';
import { readImportFile, type ReadProgress } from './read-file.js';

const TARGET_BYTES = 20 * 1024 * 1024;
const POSTS_PER_THREAD = 20;

function generatedDisqus(targetBytes = TARGET_BYTES): { text: string; threads: number; posts: number } {
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

describe('a 20 MB import file', () => {
  it('is read whole in the browser', () => {
    const { text, threads, posts } = generatedDisqus();
    const started = performance.now();
    const plan = parseImportFile(text, DEFAULT_IMPORT_OPTIONS);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `import: parsed a ${(text.length / 1024 / 1024).toFixed(1)} MB Disqus export (${threads} threads, ${posts} comments) in ${seconds.toFixed(2)} s`,
    );
    expect(plan.threads).toHaveLength(threads);
    expect(plan.counts.approved).toBe(posts);
    expect(plan.threads.at(-1)!.comments.at(-1)!.parentSourceId).toBe(`p${posts - 1}`);
  }, 120_000);

  it('is read in slices while the page answers a click, with progress on the way', async () => {
    const { text, threads, posts } = generatedDisqus(8 * 1024 * 1024);
    const file = new Blob([text]);
    const other = document.createElement('button');
    other.textContent = 'Another control';
    document.body.append(other);
    let finished = false;
    let clickedWhileReading: boolean | null = null;
    other.addEventListener('click', () => (clickedWhileReading ??= !finished));

    const progress: ReadProgress[] = [];
    const started = performance.now();
    const reading = readImportFile(file, DEFAULT_IMPORT_OPTIONS, { onProgress: (step) => progress.push(step) });
    void reading.then(() => (finished = true));
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0), { timeout: 60_000 });
    // A real click from the browser: it is handled only when the page has the main thread.
    await page.getByRole('button', { name: 'Another control' }).click();
    const plan = await reading;
    const seconds = (performance.now() - started) / 1000;
    other.remove();
    console.log(
      `import: read a ${(file.size / 1024 / 1024).toFixed(1)} MB Disqus export in slices (${posts} comments) in ${seconds.toFixed(2)} s, ${progress.length} progress events`,
    );
    expect(clickedWhileReading).toBe(true);
    expect(progress.filter((step) => step.phase === 'reading').length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ phase: 'building', done: posts, total: posts });
    expect(plan.threads).toHaveLength(threads);
    expect(plan.counts.approved).toBe(posts);
  }, 120_000);
});
