/**
 * `npm run dev:watch` (scripts/dev-watch.ts) on a small project of the same shape as Sala's build: an embed writing
 * embed.js and hashed chunks to public/, an admin page writing public/admin/, and a demo folder, served together from
 * a folder updated in place. Edits to the sources must reach the served folder, one line printed per rebuild, with
 * every chunk a served entry names there at each step; a build error must leave the last good build served.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clean } from '../../rollup.config.js';
import { watchDevBuild, type DevWatch } from '../../scripts/dev-watch.js';
import { removeStaleFiles, staleListOf } from '../../worker/scripts/sync-folder.js';

const project = mkdtempSync(join(tmpdir(), 'sala-dev-watch-'));
const at = (path: string) => join(project, path);
const publicDir = at('public');
const served = at('served');

function write(path: string, text: string): void {
  mkdirSync(dirname(at(path)), { recursive: true });
  writeFileSync(at(path), text);
}

/** The chunks an entry of the served folder imports (`./widgets/x-hash.js`), as paths in that folder. */
function chunksNamedBy(entry: string): string[] {
  const text = readFileSync(join(served, entry), 'utf8');
  return [...text.matchAll(/["']\.\/((?:widgets|chunks)\/[^"']+)["']/g)].map(([, chunk]) =>
    join(dirname(entry), chunk!),
  );
}

/** What a page loaded now would fail to fetch: chunks named by embed.js or admin.js that are not served. */
function missingChunks(): string[] {
  return ['embed.js', 'admin/admin.js'].flatMap(chunksNamedBy).filter((chunk) => !existsSync(join(served, chunk)));
}

describe('npm run dev:watch', () => {
  const lines: string[] = [];
  /** What the served folder held each time the watch waited for the server to take the new files. */
  const waits: { added: string[]; embedNames: string[]; missing: string[] }[] = [];
  let dev: DevWatch;
  /** The chunk of the first build, replaced by the second. */
  let firstChunk = '';

  beforeAll(async () => {
    write(
      'src/embed.js',
      "import { hint } from './shared.js';\nexport const load = () => import('./thread.js');\nexport { hint };\n",
    );
    write('src/shared.js', "export const hint = 'shared 1';\n");
    write('src/thread.js', "export const version = 'thread 1';\n");
    write(
      'src/admin.js',
      "import { hint } from './shared.js';\nexport const load = () => import('./khmer.js');\nexport { hint };\n",
    );
    write('src/khmer.js', "export const strings = 'km';\n");
    write('demo/index.html', '<title>Demo 1</title><script type="module" src="/embed.js"></script>\n');
    // What served/ holds from an earlier session: left there, as the server watches it.
    write('served/widgets/thread-00000000.js', 'stale\n');
    dev = watchDevBuild({
      configs: [
        {
          input: { embed: at('src/embed.js') },
          plugins: [clean([publicDir])],
          output: { dir: publicDir, chunkFileNames: 'widgets/[name]-[hash].js' },
        },
        {
          input: { admin: at('src/admin.js') },
          plugins: [clean([join(publicDir, 'admin')])],
          output: {
            dir: join(publicDir, 'admin'),
            entryFileNames: '[name].js',
            chunkFileNames: 'chunks/[name]-[hash].js',
          },
        },
      ],
      sources: [publicDir, at('demo')],
      demoDir: at('demo'),
      servedDir: served,
      whenServed: async (added) => {
        // What the served folder holds while the server is taking the new files.
        waits.push({ added: [...added], embedNames: chunksNamedBy('embed.js'), missing: missingChunks() });
      },
      log: (line) => lines.push(line),
    });
    await dev.ready;
  });

  afterAll(async () => {
    await dev.close();
    rmSync(project, { recursive: true, force: true });
  });

  test('builds once and serves the build and the demo, without what an earlier session left', () => {
    expect(lines).toEqual([expect.stringMatching(/^\[sala\] built embed\.js and admin\.js in \d+\.\d s$/)]);
    expect(readFileSync(join(served, 'index.html'), 'utf8')).toContain('Demo 1');
    expect(chunksNamedBy('embed.js')).toEqual([expect.stringMatching(/^widgets\/thread-\w+\.js$/)]);
    expect(missingChunks()).toEqual([]);
    expect(existsSync(join(served, 'widgets/thread-00000000.js'))).toBe(false);
  });

  test('an edit to a widget rebuilds the embed alone; its new chunk is served before the embed.js naming it', async () => {
    const [oldChunk] = chunksNamedBy('embed.js');
    const admin = readFileSync(join(served, 'admin/admin.js'), 'utf8');
    waits.length = 0;
    write('src/thread.js', "export const version = 'thread 2';\n");
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBe(2);

    expect(lines[1]).toMatch(/^\[sala\] rebuilt embed\.js in \d+\.\d s \(.*src[/\\]thread\.js\)$/);
    const [newChunk] = chunksNamedBy('embed.js');
    expect(newChunk).not.toBe(oldChunk);
    expect(readFileSync(join(served, newChunk!), 'utf8')).toContain('thread 2');
    // The admin page, not rebuilt, is still served: the embed's rebuild did not empty public/admin.
    expect(readFileSync(join(served, 'admin/admin.js'), 'utf8')).toBe(admin);
    expect(missingChunks()).toEqual([]);
    // The old chunk stays served, for a page loaded before this update; the build's copy is gone.
    expect(existsSync(join(served, oldChunk!))).toBe(true);
    expect(existsSync(join(publicDir, oldChunk!))).toBe(false);
    firstChunk = oldChunk!;

    // While the server was taking the new chunk, embed.js still named the old one, which was still there.
    expect(waits).toEqual([{ added: [newChunk], embedNames: [oldChunk], missing: [] }]);
  });

  test('a build error is printed, the last good build stays served, and the fix rebuilds it', async () => {
    const embed = readFileSync(join(served, 'embed.js'), 'utf8');
    write('src/thread.js', "export const version = 'thread 3;\n");
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBe(3);
    expect(lines[2]).toMatch(/^\[sala\] build failed; still serving the last good build\. .+\n {2}at .*thread\.js:1:/);
    expect(readFileSync(join(served, 'embed.js'), 'utf8')).toBe(embed);
    expect(missingChunks()).toEqual([]);

    write('src/thread.js', "export const version = 'thread 3';\n");
    await expect.poll(() => lines.length, { timeout: 20_000 }).toBe(4);
    expect(lines[3]).toMatch(/^\[sala\] rebuilt embed\.js in /);
    expect(readFileSync(join(served, chunksNamedBy('embed.js')[0]!), 'utf8')).toContain('thread 3');
    // Stale chunks stay for the session (a removal while wrangler reloads stops it), listed for the server's next start.
    expect(existsSync(join(served, firstChunk)), 'the chunk two builds old').toBe(true);
    expect(JSON.parse(readFileSync(staleListOf(served), 'utf8'))).toContain(firstChunk);
    expect(removeStaleFiles(served)).toContain(firstChunk);
    expect(existsSync(join(served, firstChunk)), 'after the server’s next start').toBe(false);
    expect(missingChunks()).toEqual([]);
  });

  test('a file both configurations import, saved by rename as many editors save, rebuilds both, save after save', async () => {
    for (const save of [2, 3, 4]) {
      const printed = lines.length;
      // What vim or a JetBrains editor's safe write does: the file replaced by a new one.
      write('src/shared.js.tmp', `export const hint = 'shared ${save}';\n`);
      renameSync(at('src/shared.js.tmp'), at('src/shared.js'));
      await expect.poll(() => lines.length, { timeout: 20_000, message: `save ${save}` }).toBe(printed + 1);
      expect(lines.at(-1)).toMatch(/^\[sala\] rebuilt embed\.js and admin\.js in .* \(.*src[/\\]shared\.js\)$/);
      expect(readFileSync(join(served, 'embed.js'), 'utf8')).toContain(`shared ${save}`);
      expect(readFileSync(join(served, 'admin/admin.js'), 'utf8')).toContain(`shared ${save}`);
    }
  });

  test('an edit to the demo blog is served with no build', async () => {
    write('demo/index.html', '<title>Demo 2</title><script type="module" src="/embed.js"></script>\n');
    await expect.poll(() => lines.at(-1), { timeout: 20_000 }).toMatch(/^\[sala\] updated the demo blog in /);
    expect(readFileSync(join(served, 'index.html'), 'utf8')).toContain('Demo 2');
    expect(missingChunks()).toEqual([]);
  });
});
