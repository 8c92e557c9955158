/**
 * `node worker/bench/import-parse.ts`: how long parsing an import batch's JSON takes in Node on this machine, the
 * first step of POST /admin/sites/:site/import. A rough guide to the free plan's 10 ms of CPU per invocation
 * (workerd runs the same V8, but its clock cannot time CPU inside a test), not a workerd measurement.
 */

function batch(threads: number, commentsPerThread: number, bodyLength: number): string {
  const body = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(bodyLength / 57));
  return JSON.stringify({
    source: 'disqus',
    threads: Array.from({ length: threads }, (_, t) => ({
      pageId: `https://blog.example.com/2021/03/post-${t}`,
      pageUrl: `https://blog.example.com/2021/03/post-${t}.html`,
      title: `Post ${t}`,
      comments: Array.from({ length: commentsPerThread }, (_, c) => ({
        sourceId: `${t}-${c}`,
        parentSourceId: c % 3 === 0 ? null : `${t}-${c - (c % 3)}`,
        authorName: `Reader ${c}`,
        authorEmail: `reader-${c}@example.com`,
        createdAt: new Date(Date.UTC(2021, 2, 4) + c * 60_000).toISOString(),
        body: body.slice(0, bodyLength),
        status: 'approved',
      })),
    })),
  });
}

for (const [threads, comments, bodyLength] of [
  [50, 30, 200],
  [50, 30, 450],
] as const) {
  const text = batch(threads, comments, bodyLength);
  const times: number[] = [];
  for (let run = 0; run < 20; run++) {
    const start = process.hrtime.bigint();
    JSON.parse(text);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${threads} threads × ${comments} comments, ${(text.length / 1024).toFixed(0)} KiB: JSON.parse median ${median.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`,
  );
}
