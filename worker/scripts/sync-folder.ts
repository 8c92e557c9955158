/**
 * Brings `to` up to date with the files of `sources` (a later source's file over an earlier's), in place: never
 * removes `to` itself. `npm start`'s `wrangler dev` watches worker/dev-public for the files to serve, and a watched
 * folder deleted and made again is not watched any more, so a build that replaced it had its new chunks 404 until a
 * restart. New and changed files are written before stale ones go; unchanged files are left alone, so their ETags
 * hold.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function syncFolder(sources: readonly string[], to: string): void {
  const files = new Map<string, string>();
  for (const dir of sources) {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (statSync(join(dir, file)).isFile()) files.set(file, join(dir, file));
    }
  }
  for (const [file, source] of files) {
    const target = join(to, file);
    if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) continue;
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
  }
  // Deepest first, so a folder is empty of stale files by the time it is looked at.
  for (const file of readdirSync(to, { recursive: true, encoding: 'utf8' }).sort().reverse()) {
    const target = join(to, file);
    if (statSync(target).isDirectory()) {
      if (readdirSync(target).length === 0) rmSync(target, { recursive: true });
    } else if (!files.has(file)) rmSync(target);
  }
}
