/**
 * Every fixture's plan, sent as the Import tab sends it, passes the Worker's own check of an import request: what the
 * Worker would refuse was skipped while parsing, so no batch fails over one comment.
 */
import { describe, expect, it } from 'vitest';
import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import takeout from '@sala-fixtures/import/blogger-takeout.atom?raw';
import disqus from '@sala-fixtures/import/disqus.xml?raw';
import wordpress from '@sala-fixtures/import/wordpress.xml?raw';
import { checkImportRequest } from '../../../../../worker/src/domain/import-input.js';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS } from './plan.js';

describe('a parsed plan', () => {
  it('is accepted whole by the Worker’s check, with every option', () => {
    for (const text of [backup, takeout, disqus, wordpress]) {
      for (const options of [
        { ...DEFAULT_IMPORT_OPTIONS, siteOrigin: 'https://mekong-notes.blogspot.com' },
        {
          ...DEFAULT_IMPORT_OPTIONS,
          siteOrigin: 'https://mekong-notes.blogspot.com',
          keepSpam: true,
          pingbacks: 'links' as const,
        },
      ]) {
        const plan = parseImportFile(text, options);
        const checked = checkImportRequest(
          JSON.parse(JSON.stringify({ source: plan.source, threads: plan.threads })),
          new Date(),
        );
        expect(checked.threads.map((thread) => thread.comments.length)).toEqual(
          plan.threads.map((thread) => thread.comments.length),
        );
      }
    }
  });
});
