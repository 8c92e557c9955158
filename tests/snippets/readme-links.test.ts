/**
 * The bloggers' section of README.md and each example's README send a blogger to files by relative links: every one
 * must lead to a file or folder that exists, or the first setup stops at a 404.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
