/**
 * Gives a fresh clone the secrets `wrangler dev` needs: writes worker/.dev.vars with a random SALA_SECRET and a
 * random ADMIN_PASSWORD when the file is missing or lacks them, never overwriting a value already there
 * (.dev.vars is gitignored). scripts/dev.ts prints the admin address and this password on every start.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const path = new URL('../.dev.vars', import.meta.url);

function read(): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

function ensure(name: string, makeValue: () => string): void {
  const current = read();
  if (new RegExp(`^${name}=`, 'm').test(current)) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${separator}${name}=${makeValue()}\n`);
  console.log(`[sala] wrote a random ${name} to worker/.dev.vars for local development`);
}

/** Writes what is missing and returns the development admin password. */
export function ensureDevVars(): string {
  ensure('SALA_SECRET', () => randomBytes(32).toString('hex'));
  // Readable enough to type: 16 base64url characters, 96 bits.
  ensure('ADMIN_PASSWORD', () => randomBytes(12).toString('base64url'));
  return (
    /^ADMIN_PASSWORD=(.*)$/m
      .exec(read())?.[1]
      ?.trim()
      .replace(/^"(.*)"$/, '$1') ?? ''
  );
}
