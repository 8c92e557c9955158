/**
 * `node tests/bench/lang-timing.ts` (after `npm run build`): how long a reader on a slow network waits for a thread's
 * heading, on a post page in English and in Indonesian.
 * The built embed.js from `wrangler dev` on a blog of another origin, as cross-origin.test.ts serves it; Chromium
 * emulates the network (CDP Network.emulateNetworkConditions) with an empty cache for every load. Prints, per page
 * language and network (`en&box=id`: an English <html> around a post container in Indonesian), the median of RUNS
 * loads: milliseconds from navigation to the heading's first words, to the thread shown (its list no longer busy).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../support/browser.ts';
import { startWorker } from '../support/worker.ts';

const RUNS = Number(process.env.RUNS ?? 7);
const PAGE_ID = 'https://mekong-notes.example/2026/11/lang-timing.html';
/** 150 ms round trips alone, then with Lighthouse's slow 4G bandwidth (1.6 Mbps down, 750 kbps up). */
const NETWORKS = {
  '150 ms': { latency: 150, downloadThroughput: -1, uploadThroughput: -1 },
  '150 ms, 1.6 Mbps': { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 },
};

function serveBlog(workerOrigin: string): Promise<Server> {
  const server = createServer((request, response) => {
    const query = new URL(request.url!, 'http://x').searchParams;
    const lang = query.get('lang') ?? 'en';
    // The post's language on its container rather than <html> (`box`), as some themes write it.
    const box = query.get('box') ? ` lang="${query.get('box')}"` : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>A post</title>
<link rel="icon" href="data:,"><script type="module" src="${workerOrigin}/embed.js"></script></head>
<body><main${box}><h1>A post</h1><p>Words of the post.</p><sala-comments page-id="${PAGE_ID}"></sala-comments></main>
<footer>The blog's footer</footer></body></html>`);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const worker = await startWorker();
const blog = await serveBlog(worker.origin);
const browser = await launchChromium();
try {
  const blogOrigin = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
  console.log(`${'page, network'.padEnd(34)}${'heading ms'.padStart(12)}${'thread ms'.padStart(12)}`);
  for (const [network, conditions] of Object.entries(NETWORKS)) {
    for (const lang of ['en', 'id', 'en&box=id']) {
      const heading: number[] = [];
      const thread: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 414, height: 896 } });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
        await page.goto(`${blogOrigin}/?lang=${lang}`, { waitUntil: 'commit' });
        /** performance.now() once the thread shows its heading's first words, or the thread itself. */
        const when = (what: 'heading' | 'thread') =>
          page
            .waitForFunction(
              (what) => {
                const root = document.querySelector('sala-comments')?.shadowRoot;
                const shown =
                  what === 'heading'
                    ? root?.querySelector('h2')?.textContent?.trim() // trim() drops a no-break space too
                    : root?.querySelector('[part="thread"][aria-busy="false"]');
                return shown ? performance.now() : 0;
              },
              what,
              { polling: 'raf', timeout: 30_000 },
            )
            .then((handle) => handle.jsonValue());
        // The loading state's "Comments" ("Komentar"), or the count.
        heading.push(await when('heading'));
        thread.push(await when('thread'));
        await context.close();
      }
      console.log(
        `${`${lang}, ${network}`.padEnd(34)}${median(heading).toFixed(0).padStart(12)}${median(thread).toFixed(0).padStart(12)}`,
      );
    }
  }
} finally {
  await browser.close();
  blog.close();
  await worker.stop();
}
