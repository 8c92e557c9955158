/**
 * `npm run bench:size`: bytes of script the embed build sends. Prints every file and, per element, what a first
 * visit downloads to show it (embed.js, the element's chunk and every chunk they import statically: for comments, the
 * thread and its form), which the budget holds to; then with what it fetches once it has its answer, without the
 * reader asking (the view counter for popular posts). Chunks a reader's click fetches (posting) or a page's language
 * (a language other than English) are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const publicDir = resolve(import.meta.dirname, '../../worker/public');
const BUDGET_BROTLI = 15 * 1024;
/**
 * Loaded once <sala-comments> or <sala-popular-posts> has its answer, without the reader asking (sala-element.ts): on a
 * post page, the copy of the thread's set (embed.ts).
 */
const VIEW_COUNTER = /^widgets\/views\.thread-[\w-]{8}\.js$/;

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

const kb = (bytes: number) => (process.env.SIZE_BYTES ? `${bytes} B` : `${(bytes / 1024).toFixed(2)} KB`).padStart(10);
const row = (name: string, sizes: Sizes) => `${name.padEnd(44)}${kb(sizes.raw)}${kb(sizes.gzip)}${kb(sizes.brotli)}`;

const scripts = readdirSync(publicDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .sort();
console.log(`${'file (minified)'.padEnd(44)}${'min'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const file of scripts) console.log(row(file, measure(file)));

console.log('\nfirst visit, per element (embed.js + element chunk + shared chunks):');
const loader = closure('embed.js');
console.log(row('embed.js alone (a page with no element)', total(loader)));
// embed.js loads one of two sets of chunks (embed.ts): the `.thread` set on a page with a thread, whose thread chunk
// carries the shared code, the other on a page without one (or when a thread appears after a list has loaded).
// The hints on mistakes in a page's markup (internal/diagnostics.ts) come from embed.js too, but show no element.
const isDiagnostics = (file: string) => file.startsWith('widgets/diagnostics');
// So does the table of language packs, on a page whose thread (or first list) is in another language (embed.ts,
// fetchStrings): it fetches that language's pack, neither shows an element.
const isPacks = (file: string) => file.startsWith('widgets/packs');
const loaded = importsOf('embed.js').dynamicImports.filter((file) => !isDiagnostics(file) && !isPacks(file));
const isThreadSet = (file: string) => /\.thread-[\w-]{8}\.js$/.test(file);
// A chunk another chunk of its set imports is not an element's own: in the `.thread` set, the lists import the
// thread's chunk for the shared code, so the thread is found by name.
const elementsOf = (files: string[]) =>
  files.filter((file) => !files.some((other) => other !== file && importsOf(other).staticImports.includes(file)));
const thread = loaded.find((file) => file.startsWith('widgets/comments.thread-'));
const threadPage = elementsOf(loaded.filter(isThreadSet)).filter((file) => file !== thread);
const otherPages = elementsOf(loaded.filter((file) => !isThreadSet(file)));
const name = (file: string) => file.replace(/-[\w-]{8}\.js$/, '');
/** The files `file` brings that a page which already loaded `shown` does not have yet. */
const addedTo = (shown: Set<string>, file: string) =>
  [...closure(file, new Set(shown))].filter((added) => !shown.has(added));
const threadShown = thread ? closure(thread, new Set(loader)) : undefined;
let overBudget = false;
if (threadShown) {
  console.log(row('widgets/comments (a page with a thread)', total(threadShown)));
  overBudget ||= total(threadShown).brotli > BUDGET_BROTLI;
}
for (const element of otherPages) {
  const files = closure(element, new Set(loader));
  // A thread added to a page after one of its lists loaded: rare, and not what the budget holds to.
  const afterList = element.startsWith('widgets/comments-');
  console.log(row(`${name(element)}${afterList ? ' (added after a list)' : ''}`, total(files)));
  if (!afterList) overBudget ||= total(files).brotli > BUDGET_BROTLI;
}
if (threadShown) {
  console.log('\na page with a thread also showing a list: what the list adds');
  for (const element of threadPage) console.log(row(`+ ${name(element)}`, total(addedTo(threadShown, element))));
}
// A post page's view is counted once the thread (or popular posts) has its answer: after what shows it, outside the
// budget, but downloaded on every such first visit.
const viewCounter = scripts.find((file) => VIEW_COUNTER.test(file));
if (threadShown && viewCounter) {
  const files = [...threadShown, ...addedTo(threadShown, viewCounter)];
  console.log(row('widgets/comments, then the view counter', total(files)));
}
// Fetched beside the thread on a page in another language, with that language's pack (not counted, as the packs).
for (const packs of scripts.filter((file) => isPacks(file) && isThreadSet(file)))
  console.log(row(`+ ${name(packs)} (another language)`, measure(packs)));
// Fetched only for a mistake (a `sala-*` tag or an attribute none of Sala's, a value an element cannot use): what it adds.
for (const diagnostics of scripts.filter(isDiagnostics))
  console.log(row(`+ ${name(diagnostics)} (a mistake)`, measure(diagnostics)));
console.log(
  `\nbudget: ${BUDGET_BROTLI / 1024} KB brotli to show an element (comments: thread and form)${overBudget ? ' (EXCEEDED)' : ', met'}`,
);
