/**
 * An import file read in the owner's browser: its format told from its content (never its name), then parsed into
 * an `ImportPlan` by that format's module.
 */
import { isBloggerBackup, parseBloggerBackup } from './blogger.js';
import { isDisqusExport, parseDisqus } from './disqus.js';
import { ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import { isSalaExport, parseSalaExport } from './sala.js';
import { isBloggerTakeout, parseBloggerTakeout } from './takeout.js';
import { isWordPressExport, parseWordPress } from './wordpress.js';
import { parseXml } from './xml.js';

/** Throws `ImportFileError` for a file that is empty, malformed or of no format Sala reads. */
export function parseImportFile(text: string, options: ImportOptions): ImportPlan {
  const content = text.replace(/^\uFEFF/, '').trimStart();
  if (content === '') throw new ImportFileError('empty', 'The file is empty.');
  if (content.startsWith('<')) {
    const root = parseXml(content).documentElement;
    if (isBloggerBackup(root)) return parseBloggerBackup(root, options);
    if (isBloggerTakeout(root)) return parseBloggerTakeout(root, options);
    if (isDisqusExport(root)) return parseDisqus(root, options);
    if (isWordPressExport(root)) return parseWordPress(root, options);
  }
  if (content.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new ImportFileError('not-json', `The file is not valid JSON: ${(error as Error).message}`);
    }
    if (isSalaExport(json)) return parseSalaExport(json);
  }
  throw new ImportFileError(
    'unknown-format',
    'This is not a file Sala can import: choose a Blogger backup, a Google Takeout Blogger feed, a Disqus export, a WordPress export or a Sala export.',
  );
}
