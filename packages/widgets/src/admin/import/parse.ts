/**
 * An import file read in the owner's browser: its format told from its content (never its name), then parsed into
 * an `ImportPlan` by that format's module.
 */
import { parseBloggerBackup, isBloggerBackup } from './blogger.js';
import { ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import { parseXml } from './xml.js';

/** Throws `ImportFileError` for a file that is empty, malformed or of no format Sala reads. */
export function parseImportFile(text: string, options: ImportOptions): ImportPlan {
  const content = text.replace(/^\uFEFF/, '').trimStart();
  if (content === '') throw new ImportFileError('empty', 'The file is empty.');
  if (content.startsWith('<')) {
    const root = parseXml(content).documentElement;
    if (isBloggerBackup(root)) return parseBloggerBackup(root, options);
  }
  throw new ImportFileError(
    'unknown-format',
    'This is not a file Sala can import: choose a Blogger backup, a Google Takeout Blogger feed, a Disqus export, a WordPress export or a Sala export.',
  );
}
