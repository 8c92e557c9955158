import { describe, expect, it } from 'vitest';
import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import takeout from '@sala-fixtures/import/blogger-takeout.atom?raw';
import disqus from '@sala-fixtures/import/disqus.xml?raw';
import wordpress from '@sala-fixtures/import/wordpress.xml?raw';
import { LIMITS, parseMarkdown } from '@sala/protocol';
import { markdownLinks, payloads } from '../../test/xss.js';
import { checkImportRequest } from '../../../../../worker/src/domain/import-input.js';
import { importBatches } from './batches.js';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, ImportFileError, type ImportOptions } from './plan.js';

function refusal(text: string, options: ImportOptions = DEFAULT_IMPORT_OPTIONS): ImportFileError {
  try {
    parseImportFile(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('the file was accepted');
}

/** The Worker's own check of the requests the tab sends: throws naming the first field it would refuse. */
function acceptedByWorker(plan: ReturnType<typeof parseImportFile>): void {
  const { batches, tooLarge } = importBatches(plan);
  expect(tooLarge).toEqual([]);
  for (const { request } of batches) checkImportRequest(JSON.parse(JSON.stringify(request)), new Date());
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

describe('parseImportFile', () => {
  it('tells each format from its content, whatever surrounds it', () => {
    const options = { ...DEFAULT_IMPORT_OPTIONS, siteOrigin: 'https://mekong-notes.blogspot.com' };
    expect(parseImportFile(`\uFEFF\n  ${backup}`, options).source).toBe('blogger');
    expect(parseImportFile(takeout, options).source).toBe('blogger-takeout');
    expect(parseImportFile(disqus, options).source).toBe('disqus');
    expect(parseImportFile(wordpress, options).source).toBe('wordpress');
    expect(
      parseImportFile('{"version":1,"exportedAt":"2026-12-01T00:00:00Z","sites":[{"site":"a","threads":[]}]}', options)
        .source,
    ).toBe('sala');
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
    expect(refusal('<rss version="2.0"><channel><title>Some feed</title></channel></rss>').code).toBe('unknown-format');
    expect(refusal('name,email\nDara,dara@example.com').code).toBe('unknown-format');
  });

  it('skips as invalid what the Worker would refuse, instead of failing a batch', () => {
    const post = (id: string, name: string, message: string, date = '2026-11-05T05:00:00Z') =>
      `<post dsq:id="${id}"><message>${cdata(message)}</message><createdAt>${date}</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>${name}</name></author><thread dsq:id="1001"/></post>`;
    const file = disqus.replace(
      '</disqus>',
      [
        post('3001', 'n'.repeat(LIMITS.name + 1), 'A name too long.'),
        post('3002', 'Dara', 'b'.repeat(LIMITS.body + 1)),
        post('3003', 'Dara', 'From the future.', '2999-01-01T00:00:00Z'),
        post('3004', 'Dara', 'A second post with an id already used.').replace('3004', '2001'),
        post('3005', 'n'.repeat(LIMITS.name), 'The longest name there may be.'),
        '</disqus>',
      ].join('\n'),
    );
    const plan = parseImportFile(file, DEFAULT_IMPORT_OPTIONS);
    const invalid = plan.skipped.find((skip) => skip.reason === 'invalid')!;
    expect(invalid.count).toBe(2 + 4);
    // Each as the owner knows it, by its author and how it starts, not by its id in the file.
    expect(invalid.examples).toContain('Dara: From the future.');
    expect(plan.threads[0]!.comments.map((comment) => comment.sourceId)).toContain('3005');
    expect(() => acceptedByWorker(plan)).not.toThrow();
  });

  it('brings every XSS payload in as text or safe links, in Disqus HTML and in WordPress typed text', () => {
    const disqusFile = disqus.replace(
      '</disqus>',
      payloads
        .map(
          (payload, index) =>
            `<post dsq:id="x${index}"><message>${cdata(payload)}</message><createdAt>2026-11-05T05:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>${cdata(payload.slice(0, 60))}</name></author><thread dsq:id="1001"/></post>`,
        )
        .join('\n') + '</disqus>',
    );
    const wordpressFile = wordpress.replace(
      '<wp:comment>',
      payloads
        .map(
          (payload, index) =>
            `<wp:comment><wp:comment_id>x${index}</wp:comment_id><wp:comment_author>${cdata(payload.slice(0, 60))}</wp:comment_author><wp:comment_author_url>${cdata(payload)}</wp:comment_author_url><wp:comment_date_gmt>2026-11-05 05:00:00</wp:comment_date_gmt><wp:comment_content>${cdata(payload)}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>`,
        )
        .join('\n') + '<wp:comment>',
    );
    for (const file of [disqusFile, wordpressFile]) {
      const plan = parseImportFile(file, DEFAULT_IMPORT_OPTIONS);
      const comments = plan.threads.flatMap((thread) => thread.comments).filter((c) => c.sourceId.startsWith('x'));
      // Every payload is a comment, or nothing readable was left of it (a lone script or image).
      const emptied = plan.skipped.find((skip) => skip.reason === 'empty-body')?.count ?? 0;
      expect(comments.length + emptied).toBe(payloads.length);
      expect(comments.length).toBeGreaterThan(payloads.length / 3);
      expect(() => acceptedByWorker(plan)).not.toThrow();
      for (const comment of comments) {
        for (const href of markdownLinks(parseMarkdown(comment.body))) {
          expect(new URL(href).protocol, `${comment.body} → ${href}`).toMatch(/^(https?|mailto):$/);
        }
        if (comment.authorUrl !== undefined) expect(new URL(comment.authorUrl).protocol).toMatch(/^https?:$/);
      }
    }
  });
});
