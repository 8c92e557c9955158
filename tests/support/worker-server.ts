/**
 * The e2e project's global setup (vitest.config.ts): the Workers that files share by name (`sharedWorker()` in
 * worker.ts), each started when the first file asks for it and stopped once every file has run. A `wrangler dev` start
 * costs about 2 s of CPU on CI's two cores. Its address is passed down in the environment, as the shared Chromium's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHARED_WORKERS, startWorker, type RunningWorker } from './worker.js';

export default async function setup(): Promise<() => Promise<void>> {
  const workers = new Map<string, Promise<RunningWorker>>();
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://setup').searchParams.get('name') ?? '';
    let worker = workers.get(name);
    if (!worker) workers.set(name, (worker = startWorker()));
    worker.then(
      ({ origin }) => response.writeHead(200).end(origin),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  process.env[SHARED_WORKERS] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async () => {
    delete process.env[SHARED_WORKERS];
    server.close();
    await Promise.all(
      [...workers.values()].map((worker) =>
        worker.then(
          (running) => running.stop(),
          () => {},
        ),
      ),
    );
  };
}
