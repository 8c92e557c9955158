import { describe, expect, it } from 'vitest';
import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, ImportFileError } from './plan.js';

function refusal(text: string): ImportFileError {
  try {
    parseImportFile(text, DEFAULT_IMPORT_OPTIONS);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('the file was accepted');
}

describe('parseImportFile', () => {
  it('tells the format from the content, whatever surrounds it', () => {
    expect(parseImportFile(`\uFEFF\n  ${backup}`, DEFAULT_IMPORT_OPTIONS).source).toBe('blogger');
  });

  it('refuses an empty file, malformed XML and files of no known format, saying which', () => {
    expect(refusal('').code).toBe('empty');
    expect(refusal(' \n\t').code).toBe('empty');
    const broken = refusal(backup.slice(0, 2000));
    expect(broken.code).toBe('not-xml');
    expect(broken.message).toMatch(/not well-formed XML/);
    expect(refusal('<html><body>a web page</body></html>').code).toBe('unknown-format');
    expect(refusal("<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x</id></entry></feed>").code).toBe(
      'unknown-format',
    );
    expect(refusal('name,email\nDara,dara@example.com').code).toBe('unknown-format');
  });
});
