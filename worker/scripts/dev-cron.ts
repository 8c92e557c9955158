/**
 * `npm run dev`: runs the command after it (`wrangler dev …`) and, while that runs, fires the Worker's scheduled
 * handler once a minute, because `wrangler dev` never fires Cron Triggers. Each run is timed at this hour's :10 or
 * :40, the runs that rebuild popular posts and recent comments (src/storage/site-lists.ts), so the local demo shows
 * views and new comments within a minute. The end-to-end tests fire it the same way with `fireCron`.
 */
import { spawn } from 'node:child_process';

/** The cron expression wrangler.jsonc gives the trigger. */
const CRON = '*/10 * * * *';
const HOUR_MS = 3_600_000;

/** `now`'s hour at :10, or at :40 from minute 40 on: a popularity run of the current hour (UTC). */
export function popularityRunTime(now: number): number {
  const hour = now - (now % HOUR_MS);
  return hour + (new Date(now).getUTCMinutes() >= 40 ? 40 : 10) * 60_000;
}

/** Runs the scheduled handler of the Worker at `origin` (wrangler dev's /cdn-cgi/local/scheduled) once. */
export async function fireCron(origin: string, now = Date.now()): Promise<void> {
  const query = new URLSearchParams({ cron: CRON, time: String(popularityRunTime(now)) });
  const response = await fetch(`${origin}/cdn-cgi/local/scheduled?${query}`);
  if (!response.ok) throw new Error(`the scheduled handler failed: ${response.status} ${await response.text()}`);
}

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index === -1 ? fallback : (args[index + 1] ?? fallback);
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error('usage: node scripts/dev-cron.ts wrangler dev [options]');
  const origin = `http://${option(args, '--ip', '127.0.0.1')}:${option(args, '--port', '8787')}`;
  const everyMs = Number(process.env['SALA_DEV_CRON_SECONDS'] ?? 60) * 1000;

  const child = spawn(command, args, { stdio: 'inherit' });
  let warned = false;
  const timer = setInterval(() => {
    fireCron(origin).catch((error: unknown) => {
      // The first runs may come before wrangler listens; say so once, not every minute.
      if (!warned) console.warn(`[sala] dev cron: ${String(error)} (retrying every ${everyMs / 1000} s)`);
      warned = true;
    });
  }, everyMs);
  console.log(`[sala] dev cron: the scheduled handler runs every ${everyMs / 1000} s (wrangler dev fires no cron)`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    clearInterval(timer);
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

if (import.meta.main) main();
