/**
 * An import file read in the owner's browser: its format told from its content (never its name), then parsed into
 * an `ImportPlan` by that format's module. `parseImportFile` reads a whole text at once; `read-file.ts` reads a
 * file piece by piece with the same format modules, so a big file leaves the page responsive.
 */
import { BloggerBackupReader, isBloggerBackup } from './blogger.js';
import { DisqusReader, isDisqusExport } from './disqus.js';
import { parseJson } from './json-chunks.js';
import { ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import { runToEnd, type ImportReader } from './plan-builder.js';
import { isSalaExport, parseSalaExport } from './sala.js';
import { BloggerTakeoutReader, isBloggerTakeout } from './takeout.js';
import { isWordPressExport, WordPressReader } from './wordpress.js';
import { parseXml } from './xml.js';

export function unknownFormat(): ImportFileError {
  return new ImportFileError(
    'unknown-format',
    'This is not a file Sala can import: choose a Blogger backup, a Google Takeout Blogger feed, a Disqus export, a WordPress export or a Sala export.',
  );
}

/** The reader of the XML format `root` (the whole file's, or a piece's) is, or null when it does not say. */
export function xmlReaderFor(root: Element, options: ImportOptions): ImportReader | null {
  if (isBloggerBackup(root)) return new BloggerBackupReader(options);
  if (isBloggerTakeout(root)) return new BloggerTakeoutReader(options);
  if (isDisqusExport(root)) return new DisqusReader(options);
  if (isWordPressExport(root)) return new WordPressReader(options);
  return null;
}

/** A JSON file's plan: only a Sala export is read. */
function parseJsonFile(content: string): ImportPlan {
  const json = parseJson(content);
  if (isSalaExport(json)) return parseSalaExport(json);
  throw unknownFormat();
}

/** Throws `ImportFileError` for a file that is empty, malformed or of no format Sala reads. */
export function parseImportFile(text: string, options: ImportOptions): ImportPlan {
  const content = text.replace(/^\uFEFF/, '').trimStart();
  if (content === '') throw new ImportFileError('empty', 'The file is empty.');
  if (content.startsWith('<')) {
    const root = parseXml(content).documentElement;
    const reader = xmlReaderFor(root, options);
    if (reader === null) throw unknownFormat();
    reader.read(root);
    return runToEnd(reader.finish());
  }
  if (content.startsWith('{')) return parseJsonFile(content);
  throw unknownFormat();
}
