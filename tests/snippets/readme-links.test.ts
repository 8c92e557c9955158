/**
 * The bloggers' section of README.md and each example's README send a blogger to files by relative links: every one
 * must lead to a file or folder that exists, or the first setup stops at a 404. README.md's links to a heading (its
 * own, or worker/README.md's, where today's measurements live) must name one that exists, and so must the links
 * between worker/README.md and the dated notebooks in worker/docs/ that hold the measurements' history.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Relative link targets in Markdown, without their #fragment; web addresses and in-page anchors left out. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

test('README.md’s bloggers section links to examples that exist', () => {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## For bloggers'), readme.indexOf('## For developers'));
  const links = relativeLinks(section);
  expect(links.filter((link) => link.startsWith('examples/')).length).toBeGreaterThanOrEqual(6);
  expect(links.filter((link) => !existsSync(resolve(root, link)))).toEqual([]);
});

test('each example’s README links to files that exist', () => {
  for (const example of ['blogger-theme', 'wordpress', 'ghost', 'hugo', 'jekyll', 'html']) {
    const path = resolve(root, 'examples', example, 'README.md');
    const missing = relativeLinks(readFileSync(path, 'utf8')).filter(
      (link) => !existsSync(resolve(dirname(path), link)),
    );
    expect(missing, example).toEqual([]);
  }
});

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens (github-slugger). */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading anchor of a Markdown file, a repeated one numbered as GitHub numbers it; code blocks left out. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const anchor = headingAnchor(heading[1]!);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

test('README.md’s links to a heading, its own or worker/README.md’s, name headings that exist', () => {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const anchorsOf = new Map<string, Set<string>>([['', headingAnchors(readme)]]);
  const targets = [...readme.matchAll(/\]\(([^)\s]*#[^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target));
  expect(targets.filter((target) => target.startsWith('worker/README.md#')).length).toBeGreaterThanOrEqual(6);
  const broken = targets.filter((target) => {
    const [path, anchor] = target.split('#') as [string, string];
    if (!anchorsOf.has(path)) anchorsOf.set(path, headingAnchors(readFileSync(resolve(root, path), 'utf8')));
    return !anchorsOf.get(path)!.has(anchor);
  });
  expect(broken).toEqual([]);
});

test('worker/README.md and its notebooks in worker/docs link each other, and their own contents, by headings that exist', () => {
  const readme = resolve(root, 'worker/README.md');
  const notebooks = readdirSync(resolve(root, 'worker/docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => resolve(root, 'worker/docs', name));
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    if (!anchorsOf.has(path)) anchorsOf.set(path, headingAnchors(readFileSync(path, 'utf8')));
    return anchorsOf.get(path)!;
  };
  const broken: string[] = [];
  const linked = new Map<string, Set<string>>();
  for (const from of [readme, ...notebooks]) {
    for (const match of readFileSync(from, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      const [file, anchor] = match[1]!.split('#') as [string, string | undefined];
      if (/^[a-z]+:/i.test(file)) continue;
      const to = file === '' ? from : resolve(dirname(from), file);
      if (to !== readme && !notebooks.includes(to)) continue;
      linked.set(from, (linked.get(from) ?? new Set()).add(to));
      if (anchor === undefined ? !existsSync(to) : !anchors(to).has(anchor))
        broken.push(`${relative(root, from)}: ${match[1]}`);
    }
  }
  expect(broken).toEqual([]);
  expect(notebooks.length).toBeGreaterThanOrEqual(4);
  for (const notebook of notebooks) {
    expect(linked.get(readme)?.has(notebook), `worker/README.md links to ${notebook}`).toBe(true);
    expect(linked.get(notebook)?.has(readme), `${notebook} links back to worker/README.md`).toBe(true);
  }
});
