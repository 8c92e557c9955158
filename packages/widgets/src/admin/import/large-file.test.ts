/**
 * How large an import file the owner's browser reads: a generated 20 MB Disqus export (the largest format per
 * comment), parsed end to end. Prints the time it took; asserts only what the owner would see (every comment there).
 */
import { describe, expect, it } from 'vitest';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS } from './plan.js';

const TARGET_BYTES = 20 * 1024 * 1024;
const POSTS_PER_THREAD = 20;

function generatedDisqus(): { text: string; threads: number; posts: number } {
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  ];
  let bytes = parts[0]!.length;
  let threads = 0;
  let posts = 0;
  const message =
    '<p>A comment long enough to look like one, with <b>bold</b> and a <a href="https://example.com/x">link</a>.</p>';
  while (bytes < TARGET_BYTES) {
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
});
