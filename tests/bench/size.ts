/**
 * `npm run bench:size`: bytes of script the embed build sends. Prints every file and, per element, what a first
 * visit downloads to show it (embed.js, the element's chunk and every chunk they import statically: for comments, the
 * thread and its form), which the budget holds to; then with what it fetches once it has its answer, without the
 * reader asking (the view counter for popular posts). Chunks a reader's click fetches (posting, Khmer) are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const publicDir = resolve(import.meta.dirname, '../../worker/public');
const BUDGET_BROTLI = 15 * 1024;
/** Loaded once <sala-comments> or <sala-popular-posts> has its answer, without the reader asking (sala-element.ts). */
const VIEW_COUNTER = /^widgets\/views-[\w-]{8}\.js$/;

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

function measure(file: string): Sizes {
  const bytes = readFileSync(join(publicDir, file));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function importsOf(file: string): { staticImports: string[]; dynamicImports: string[] } {
  const code = readFileSync(join(publicDir, file), 'utf8');
  // Chunks import each other relative to their own folder (widgets/), embed.js relative to the root.
  const local = (specifier: string) => posix.join(posix.dirname(file), specifier);
  const staticImports = [...code.matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["'](\.\/[^"']+\.js)["']/g)];
  const dynamicImports = [...code.matchAll(/import\(\s*["'](\.\/[^"']+\.js)["']\s*\)/g)];
  return {
    staticImports: staticImports.map((match) => local(match[1]!)),
    dynamicImports: dynamicImports.map((match) => local(match[1]!)),
  };
}

/** `file` and everything it imports statically, transitively. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dependency of importsOf(file).staticImports) closure(dependency, seen);
  return seen;
}

function total(files: Iterable<string>): Sizes {
  const sum: Sizes = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const sizes = measure(file);
    sum.raw += sizes.raw;
    sum.gzip += sizes.gzip;
    sum.brotli += sizes.brotli;
  }
  return sum;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`.padStart(10);
const row = (name: string, sizes: Sizes) => `${name.padEnd(44)}${kb(sizes.raw)}${kb(sizes.gzip)}${kb(sizes.brotli)}`;

const scripts = readdirSync(publicDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .sort();
console.log(`${'file (minified)'.padEnd(44)}${'min'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const file of scripts) console.log(row(file, measure(file)));

console.log('\nfirst visit, per element (embed.js + element chunk + shared chunks):');
const loader = closure('embed.js');
console.log(row('embed.js alone (a page with no element)', total(loader)));
const loaded = importsOf('embed.js').dynamicImports;
// embed.js also imports the shared chunk itself (to point elements at the Worker first): that is no element.
const elements = loaded.filter((file) => !loaded.some((other) => importsOf(other).staticImports.includes(file)));
let overBudget = false;
for (const element of elements) {
  const files = closure(element, new Set(loader));
  console.log(row(element.replace(/-[\w-]{8}\.js$/, ''), total(files)));
  overBudget ||= total(files).brotli > BUDGET_BROTLI;
}
// A post page's view is counted once the thread (or popular posts) has its answer: after what shows it, outside the
// budget, but downloaded on every such first visit.
const comments = elements.find((file) => file.startsWith('widgets/comments-'));
const viewCounter = scripts.find((file) => VIEW_COUNTER.test(file));
if (comments && viewCounter) {
  const shown = closure(comments, new Set(loader));
  const added = [...closure(viewCounter, new Set(shown))].filter((file) => !shown.has(file));
  console.log(row('widgets/comments, then the view counter', total([...shown, ...added])));
}
console.log(
  `\nbudget: ${BUDGET_BROTLI / 1024} KB brotli to show an element (comments: thread and form)${overBudget ? ' (EXCEEDED)' : ', met'}`,
);
