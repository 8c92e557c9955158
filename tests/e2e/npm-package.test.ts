/**
 * @sala/widgets as npm would publish it (`npm pack --dry-run` after `npm run build`): what is in the tarball, and
 * that nothing in it points at a file left out (sources, the repo's other READMEs, internal elements).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const widgets = join(root, 'packages/widgets');
const manifest = JSON.parse(readFileSync(join(widgets, 'package.json'), 'utf8'));

let packed: Set<string>;

function read(path: string): string {
  return readFileSync(join(widgets, path), 'utf8');
}

/** The package path a relative reference from `from` names. */
function target(from: string, reference: string): string {
  return normalize(join(dirname(from), reference.split(/[?#]/)[0]!)).replaceAll('\\', '/');
}

/** Specifiers of static imports, re-exports, dynamic imports and side-effect imports in JS or .d.ts text. */
function specifiers(code: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
  return [...code.matchAll(pattern)].map((match) => match[1]!);
}

beforeAll(() => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: widgets });
  const [pack] = JSON.parse(output.toString()) as [{ files: { path: string }[] }];
  packed = new Set(pack.files.map((file) => file.path));
  if (!packed.has('dist/index.js')) throw new Error('packages/widgets/dist is missing: run `npm run build` first');
});

test('the tarball holds the licence, the readme, the built code, its types and the manifest, and no sources', () => {
  for (const path of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json', 'dist/index.d.ts']) {
    expect(packed).toContain(path);
  }
  expect(read('LICENSE')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
  expect(read('LICENSE')).toMatch(/^MIT License/);
  expect([...packed].filter((path) => !/^(dist|types)\/|^[^/]+$/.test(path))).toEqual([]);
  expect([...packed].filter((path) => /\.test\.|(^|\/)src\//.test(path))).toEqual([]);
});

test('package.json names the repository and every path it points at is in the tarball', () => {
  expect(manifest.license).toBe('MIT');
  expect(manifest.repository.url).toMatch(/^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
  expect(manifest.homepage).toMatch(/^https:\/\//);
  expect(manifest.bugs.url).toMatch(/^https:\/\//);
  expect(manifest.keywords.length).toBeGreaterThan(2);
  const pointed: string[] = [manifest.main, manifest.module, manifest.types, manifest.customElements];
  JSON.stringify(manifest.exports, (_key, value: unknown) => {
    if (typeof value === 'string') pointed.push(value);
    return value;
  });
  expect(pointed.map((path) => normalize(path)).filter((path) => !packed.has(path))).toEqual([]);
  for (const framework of ['react', 'vue', 'svelte']) expect(manifest.exports[`./${framework}`].types).toBeTruthy();
});

test('every import and source map in the code resolves inside the tarball or to a declared dependency', () => {
  const declared = new Set([
    manifest.name, // a package may import itself through its own `exports`
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).map((name) => name.replace(/^@types\//, '')),
  ]);
  const missing: string[] = [];
  for (const path of packed) {
    if (!/\.(js|d\.ts)$/.test(path)) continue;
    const code = read(path);
    for (const specifier of specifiers(code)) {
      if (specifier.startsWith('.')) {
        const file = target(path, specifier);
        const candidates = path.endsWith('.d.ts') ? [file, file.replace(/\.js$/, '.d.ts')] : [file];
        if (!candidates.some((candidate) => packed.has(candidate))) missing.push(`${path} -> ${specifier}`);
      } else {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!declared.has(name)) missing.push(`${path} -> ${specifier} (not a dependency)`);
      }
    }
    const map = /\/\/# sourceMappingURL=(\S+)/.exec(code)?.[1];
    if (map && !packed.has(target(path, map))) missing.push(`${path} -> ${map}`);
  }
  expect(missing).toEqual([]);

  // Maps name sources under src/, which is not shipped, so each must carry the source text itself.
  for (const path of [...packed].filter((file) => file.endsWith('.map'))) {
    const { sources, sourcesContent } = JSON.parse(read(path)) as { sources: string[]; sourcesContent?: string[] };
    expect(sourcesContent?.filter((text) => typeof text === 'string').length, path).toBe(sources.length);
  }
});

test('custom-elements.json describes the shipped modules and only the public elements', () => {
  const elements = JSON.parse(read('custom-elements.json')) as {
    modules: {
      path: string;
      declarations: { tagName?: string; members?: { name: string; privacy?: string }[] }[];
      exports: { declaration: { module?: string } }[];
    }[];
  };
  const paths: string[] = [];
  JSON.stringify(elements, (key, value: unknown) => {
    if ((key === 'path' || key === 'module') && typeof value === 'string') paths.push(value);
    return value;
  });
  expect(paths.filter((path) => !packed.has(path))).toEqual([]);
  const tags = elements.modules.flatMap((module) => module.declarations.map((declaration) => declaration.tagName));
  expect(tags.filter(Boolean).sort()).toEqual([
    'sala-comment-count',
    'sala-comments',
    'sala-popular-posts',
    'sala-recent-comments',
  ]);
  const members = elements.modules.flatMap((module) => module.declarations.flatMap((d) => d.members ?? []));
  expect(members.map((member) => member.name)).toContain('pageId');
  expect(members.filter((member) => member.privacy || member.name.startsWith('#'))).toEqual([]);
  expect(read('custom-elements.json').length).toBeLessThan(80_000);
});

test('the public types name no internal element and type sala-* events on elements, document and window', () => {
  const types = [...packed]
    .filter((path) => path.endsWith('.d.ts'))
    .map(read)
    .join('\n');
  for (const internal of ['sala-comment-composer', 'sala-admin']) expect(types).not.toContain(`'${internal}'`);
  for (const map of ['HTMLElementEventMap', 'DocumentEventMap', 'WindowEventMap']) {
    expect(types).toMatch(new RegExp(`interface ${map} extends SalaEventMap`));
  }
  expect(types).toMatch(/'sala-comment-posted': CustomEvent<SalaCommentPostedDetail>/);
});

/**
 * An app that keeps its own copy of the thread from the events and calls the API itself, using only names the
 * package's entry exports. Lines marked @ts-expect-error must fail: a type that came out as `any` fails the check.
 */
const APP = `import {
  setDefaultApi,
  type ApiErrorBody,
  type CountsResponse,
  type PopularPost,
  type PopularPostsResponse,
  type PublicComment,
  type RecentCommentsResponse,
  type SalaCommentDeletedDetail,
  type SalaCommentEditedDetail,
  type SalaCommentPostedDetail,
  type SalaErrorDetail,
  type ThreadResponse,
} from '@sala/widgets';

setDefaultApi('https://comments.example.com');

const mine = new Map<string, PublicComment>();
const keep = ({ comment }: SalaCommentPostedDetail | SalaCommentEditedDetail) => mine.set(comment.id, comment);
document.addEventListener('sala-comment-posted', (event) => keep(event.detail));
document.addEventListener('sala-comment-edited', (event) => keep(event.detail));
document.addEventListener('sala-comment-deleted', (event) => mine.delete(event.detail.comment.id));
window.addEventListener('sala-error', (event) => console.warn(event.detail.code, event.detail.message));
export const forget = (detail: SalaCommentDeletedDetail): boolean => mine.delete(detail.comment.id);
export const logged = (detail: SalaErrorDetail): string => \`\${detail.code}: \${detail.message}\`;

export async function thread(page: string): Promise<PublicComment[]> {
  const response = await fetch(\`https://comments.example.com/api/v1/comments?page=\${encodeURIComponent(page)}\`);
  if (!response.ok) throw new Error(((await response.json()) as ApiErrorBody).error.message);
  return ((await response.json()) as ThreadResponse).comments;
}
export const count = (body: CountsResponse, page: string): number => body.counts[page] ?? 0;
export const titles = (body: PopularPostsResponse): string[] => body.posts.map((post: PopularPost) => post.title);
export const authors = (body: RecentCommentsResponse): string[] => body.comments.map((c) => c.author.name);

// @ts-expect-error a comment has no \`text\`
export const wrongField = (comment: PublicComment) => comment.text;
// @ts-expect-error the detail of \`sala-comment-deleted\` has no \`text\`
document.addEventListener('sala-comment-deleted', (event) => event.detail.text);
// @ts-expect-error an error body's code is one of the API's codes
export const wrongCode: ApiErrorBody = { error: { code: 'oops', message: '' } };
`;

test('an app type-checks against the tarball alone: the events, their details and the API types it needs', () => {
  const app = mkdtempSync(join(tmpdir(), 'sala-npm-app-'));
  try {
    // Installed as npm would: the tarball's files, and Lit (its dependency); nothing of the workspace, no protocol.
    const installed = join(app, 'node_modules/@sala/widgets');
    for (const path of packed) {
      mkdirSync(dirname(join(installed, path)), { recursive: true });
      copyFileSync(join(widgets, path), join(installed, path));
    }
    symlinkSync(join(root, 'node_modules/lit'), join(app, 'node_modules/lit'));
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      types: [],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }));
    writeFileSync(join(app, 'app.ts'), APP);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});

test('the packaged README links only to the web or to files in the tarball', () => {
  const readme = read('README.md');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  expect(links.length).toBeGreaterThan(0);
  const broken = links.filter((link) => !/^(https?:|mailto:|#)/.test(link) && !packed.has(target('README.md', link)));
  expect(broken).toEqual([]);
  // Paths to the repo's sources are links to the repository, not bare `src/...` a reader cannot open.
  expect(readme).not.toMatch(/`src\/[^`]*`(?!\]\(https)/);
});

test('the framework typings list exactly the attributes each element reads', () => {
  const types = read('dist/index.d.ts');
  const interfaces = new Map<string, { parent?: string; keys: string[] }>();
  for (const [, name, parent, body] of types.matchAll(/interface (\w+)(?: extends (\w+))? \{([\s\S]*?)\n\}/g)) {
    const keys = [...body!.matchAll(/^\s+'?([\w-]+)'?\??:/gm)].map((match) => match[1]!);
    interfaces.set(name!, { keys, ...(parent ? { parent } : {}) });
  }
  const keysOf = (name: string): string[] => {
    const found = interfaces.get(name);
    if (!found) throw new Error(`dist/index.d.ts has no interface ${name}`);
    return [...found.keys, ...(found.parent ? keysOf(found.parent) : [])];
  };
  const byTag = new Map(
    [...types.matchAll(/'(sala-[\w-]+)': (Sala\w+Attributes);/g)].map(([, tag, name]) => [tag!, name!]),
  );
  const elements = JSON.parse(read('custom-elements.json')) as {
    modules: { declarations: { tagName?: string; attributes?: { name: string }[] }[] }[];
  };
  const declared = elements.modules.flatMap((module) => module.declarations).filter((d) => d.tagName);
  expect([...byTag.keys()].sort()).toEqual(declared.map((d) => d.tagName).sort());
  for (const element of declared) {
    const typed = keysOf(byTag.get(element.tagName!)!).filter((key) => key !== 'strings');
    expect(typed.sort(), element.tagName).toEqual((element.attributes ?? []).map((a) => a.name).sort());
  }
});
