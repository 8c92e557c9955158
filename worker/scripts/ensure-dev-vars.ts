/**
 * Gives a fresh clone the secrets `wrangler dev` needs: writes worker/.dev.vars with a random SALA_SECRET when
 * the file is missing or lacks one. Never overwrites a value already there. (.dev.vars is gitignored.)
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const path = new URL('../.dev.vars', import.meta.url);
const current = existsSync(path) ? readFileSync(path, 'utf8') : '';

if (!/^SALA_SECRET=/m.test(current)) {
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${separator}SALA_SECRET=${randomBytes(32).toString('hex')}\n`);
  console.log('[sala] wrote a random SALA_SECRET to worker/.dev.vars for local development');
}
