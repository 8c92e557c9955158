/**
 * Brings `to` up to date with the files of `sources` (a later source's file over an earlier's), in place: never
 * removes `to` itself. `npm start`'s `wrangler dev` watches worker/dev-public for the files to serve, and a watched
 * folder deleted and made again is not watched any more, so a build that replaced it had its new chunks 404 until a
 * restart. Unchanged files are left alone, so their ETags hold.
 *
 * The order keeps every file served naming only files that are there: files of new names first (the hashed chunks of
 * a build: nothing served names them yet), then the changed ones (embed.js, admin.js, the pages, which name the new
 * chunks). `npm run dev:watch` also waits, between the two, for the server to serve the new files (syncFolderServed).
 *
 * Stale files (an earlier build's chunks) stay: a file removed while wrangler reloads, which lists the folder and then
 * stats each file it listed, stopped `npm start` with "ENOENT: no such file or directory, stat". They are harmless
 * (hashed names no served file names any more; dev-public is never deployed), and each update lists them beside `to`
 * (staleListOf) for removeStaleFiles, which worker/scripts/dev.ts runs before wrangler starts.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What an update finds, as paths relative to `to`. */
export interface FolderUpdate {
  /** Files `to` lacks, written first. */
  added: string[];
  /** Files whose bytes differ, written next. */
  changed: string[];
  /** Files no source has any more: left in `to` and listed for removeStaleFiles. */
  stale: string[];
}

export function syncFolder(sources: readonly string[], to: string): FolderUpdate {
  const files = sourceFiles(sources);
  const update = plan(files, to);
  copy(files, update.added, to);
  copy(files, update.changed, to);
  listStale(update.stale, to);
  return update;
}

export interface ServedUpdate {
  /** Resolves once the server serves these new files. */
  whenServed: (added: readonly string[]) => Promise<void>;
  /** Whether to remove the stale files: only while no server watches `to` (see the top); else they stay, listed. */
  removeStale: boolean;
}

/**
 * syncFolder for a server that takes new files a moment after they are written (`wrangler dev`), answering 404 until
 * then while it reads a known file's bytes when asked: it could send the new embed.js before the chunks it names. So
 * the changed files are written once the server serves the added ones, and stale files go only if `removeStale`.
 */
export async function syncFolderServed(
  sources: readonly string[],
  to: string,
  { whenServed, removeStale }: ServedUpdate,
): Promise<FolderUpdate & { kept: string[] }> {
  const files = sourceFiles(sources);
  const update = plan(files, to);
  copy(files, update.added, to);
  if (update.added.length > 0) await whenServed(update.added);
  copy(files, update.changed, to);
  const kept = removeStale ? [] : update.stale;
  if (removeStale) remove(update.stale, to);
  listStale(kept, to);
  return { ...update, kept };
}

/** Where the stale files of `to` are listed: beside it, so that the server neither serves the list nor reloads for it. */
export function staleListOf(to: string): string {
  return join(dirname(to), `.${basename(to)}-stale.json`);
}

/** Removes the stale files the last update of `to` listed. Only while no server watches `to`: a dev server's start. */
export function removeStaleFiles(to: string): string[] {
  const list = staleListOf(to);
  if (!existsSync(list)) return [];
  const stale = (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter((file) => existsSync(join(to, file)));
  remove(stale, to);
  rmSync(list);
  return stale;
}

/** Lists `stale`, every file of `to` no source has, replacing the last list: a file a build brings back is not in it. */
function listStale(stale: readonly string[], to: string): void {
  if (stale.length > 0) writeFileSync(staleListOf(to), `${JSON.stringify(stale, null, 1)}\n`);
  else rmSync(staleListOf(to), { force: true });
}

/** Each file of `sources` by its path relative to them, a later source's over an earlier's. */
function sourceFiles(sources: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of sources) {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (statSync(join(dir, file)).isFile()) files.set(file, join(dir, file));
    }
  }
  return files;
}

function plan(files: Map<string, string>, to: string): FolderUpdate {
  mkdirSync(to, { recursive: true });
  const update: FolderUpdate = { added: [], changed: [], stale: [] };
  for (const [file, source] of files) {
    const target = join(to, file);
    if (!existsSync(target)) update.added.push(file);
    else if (!readFileSync(target).equals(readFileSync(source))) update.changed.push(file);
  }
  for (const file of readdirSync(to, { recursive: true, encoding: 'utf8' })) {
    if (!files.has(file) && statSync(join(to, file)).isFile()) update.stale.push(file);
  }
  return update;
}

function copy(files: Map<string, string>, which: readonly string[], to: string): void {
  for (const file of which) {
    const target = join(to, file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(files.get(file)!, target);
  }
}

/** Removes `which`, then the folders left empty. */
function remove(which: readonly string[], to: string): void {
  for (const file of which) rmSync(join(to, file));
  // Deepest first, so a folder's empty subfolders are gone by the time it is looked at.
  for (const file of readdirSync(to, { recursive: true, encoding: 'utf8' }).sort().reverse()) {
    const target = join(to, file);
    if (statSync(target).isDirectory() && readdirSync(target).length === 0) rmSync(target, { recursive: true });
  }
}
