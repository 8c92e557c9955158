import { describe, expect, it } from 'vitest';
import backup from '@sala-fixtures/import/blogger-backup.xml?raw';
import takeout from '@sala-fixtures/import/blogger-takeout.atom?raw';
import disqus from '@sala-fixtures/import/disqus.xml?raw';
import wordpress from '@sala-fixtures/import/wordpress.xml?raw';
import { parseImportFile } from './parse.js';
import { DEFAULT_IMPORT_OPTIONS, ImportFileError, type ImportOptions, type ImportPlan } from './plan.js';
import { readImportFile, type ReadFileOptions, type ReadProgress } from './read-file.js';

const TAKEOUT_OPTIONS: ImportOptions = { ...DEFAULT_IMPORT_OPTIONS, siteOrigin: 'https://mekong-notes.blogspot.com' };
const SALA_EXPORT = JSON.stringify({
  version: 1,
  exportedAt: '2026-12-01T00:00:00Z',
  sites: [
    {
      site: 'a',
      threads: [
        {
          pageId: 'https://blog.example/p',
          comments: [
            {
              id: 'c1',
              author: { name: 'Dara' },
              createdAt: '2026-11-01T00:00:00Z',
              body: 'សួស្តី',
              status: 'approved',
            },
          ],
        },
      ],
    },
  ],
});

/**
 * A Sala export as the admin page saves it (indented), of two sites (the first is imported) and bodies with what
 * the cutting into threads must step over: brackets, braces and quotes, escaped or not, and a backslash last.
 */
const TRICKY_SALA_EXPORT = JSON.stringify(
  {
    version: 1,
    exportedAt: '2026-12-01T00:00:00Z',
    sites: [
      {
        site: 'a',
        name: 'Blog "A" {1}',
        settings: { moderation: 'none', note: '"threads": [{' },
        bans: [{ kind: 'name', value: ']}', createdAt: '2026-11-01T00:00:00Z', expiresAt: null }],
        ipBansLeftOut: 0,
        threads: [
          {
            pageId: 'https://blog.example/p',
            comments: [
              {
                id: 'c1',
                parentId: null,
                author: { name: 'Dara' },
                createdAt: '2026-11-01T00:00:00Z',
                body: 'សួស្តី [a](b) {"x": [1]}',
                status: 'approved',
              },
              {
                id: 'c2',
                parentId: 'c1',
                author: { name: '\\"}]' },
                createdAt: '2026-11-01T01:00:00Z',
                body: 'C:\\',
                status: 'pending',
              },
            ],
          },
          { pageId: 'post-2', closed: true, comments: [] },
          {
            pageId: 'post-3',
            comments: [
              {
                id: 'c3',
                parentId: null,
                author: { name: 'Sokha' },
                createdAt: '2026-11-02T00:00:00Z',
                body: '}}]]',
                status: 'approved',
              },
            ],
          },
        ],
      },
      {
        site: 'b',
        threads: [
          {
            pageId: 'other',
            comments: [
              {
                id: 'o1',
                parentId: null,
                author: { name: 'X' },
                createdAt: '2026-11-02T00:00:00Z',
                body: 'no',
                status: 'approved',
              },
            ],
          },
        ],
      },
    ],
  },
  null,
  2,
);

/**
 * Khmer takes three bytes a character in UTF-8, so slices cut inside them; and what looks like a closing tag inside
 * CDATA, a comment or an attribute value must cut nothing.
 */
const TRICKY_DISQUS = disqus.replace(
  '</disqus>',
  `<!-- an old note: </post></disqus> -->
  <post dsq:id="km1"><message><![CDATA[<p>សួស្តី ពិភពលោក។ អរគុណសម្រាប់អត្ថបទនេះ។</p><p>Quoting XML: </post></disqus> <!-- and more --></p>]]></message><createdAt>2026-11-05T05:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>សុខា</name></author><thread dsq:id="1001" note="a </post> > b"/></post>
</disqus>`,
);

/**
 * Texts `DOMParser` is given while `run` runs. Not `vi.spyOn`: it would keep every text parsed, and a test may parse
 * megabytes.
 */
async function parsedTexts<T>(run: () => Promise<T>, seen: (text: string) => void): Promise<T> {
  const parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (this: DOMParser, text: string, type: DOMParserSupportedType) {
    seen(text);
    return parse.call(this, text, type);
  };
  try {
    return await run();
  } finally {
    DOMParser.prototype.parseFromString = parse;
  }
}

/** What no piece parsed may hold: it is only in the posts' bodies, which the Blogger reader never reads. */
const UNREAD = 'UNREAD-POST-BODY';

/**
 * A Blogger backup whose posts' bodies hold what would end them early if it were taken for tags: `</content>` and
 * `</entry>` in a CDATA section, a comment and an attribute, elements (XHTML content), and a `<content>` in them.
 */
const TRICKY_BLOGGER = backup
  .replace(
    "<content type='html'>&lt;p&gt;Boats on the river.&lt;/p&gt;</content>",
    `<content type='html'>&lt;p&gt;${UNREAD}&lt;/p&gt;<![CDATA[ </content></entry> ${UNREAD} ]]><!-- </content> ${UNREAD} --></content>`,
  )
  .replace(
    "<content type='html'>&lt;p&gt;The dome.&lt;/p&gt;</content>",
    `<content type='xhtml' note='a </content> b'><div xmlns='http://www.w3.org/1999/xhtml'><p title="</content>">${UNREAD}</p><content>${UNREAD}</content></div></content>`,
  );

const FIXTURES: [string, string, ImportOptions][] = [
  ['a Blogger backup', backup, DEFAULT_IMPORT_OPTIONS],
  ['a Blogger backup with closing tags in its posts’ bodies', TRICKY_BLOGGER, DEFAULT_IMPORT_OPTIONS],
  ['a Google Takeout feed', takeout, TAKEOUT_OPTIONS],
  ['a Disqus export', disqus, DEFAULT_IMPORT_OPTIONS],
  [
    'a Disqus export with Khmer, and closing tags in CDATA, comments and attributes',
    TRICKY_DISQUS,
    DEFAULT_IMPORT_OPTIONS,
  ],
  ['a WordPress export', wordpress, DEFAULT_IMPORT_OPTIONS],
  [
    'a WordPress export, pingbacks and spam kept',
    wordpress,
    { ...DEFAULT_IMPORT_OPTIONS, pingbacks: 'links', keepSpam: true },
  ],
  ['a Sala export', SALA_EXPORT, DEFAULT_IMPORT_OPTIONS],
  [
    'a Sala export as the admin page saves it, with brackets and quotes in its text',
    TRICKY_SALA_EXPORT,
    DEFAULT_IMPORT_OPTIONS,
  ],
  [
    'a Sala export of another layout: its sites first, a key escaped',
    `{"sites":[{"thr\\u0065ads":[${JSON.stringify((JSON.parse(SALA_EXPORT) as { sites: [{ threads: [unknown] }] }).sites[0].threads[0])}],"site":"a"}],"version":1}`,
    DEFAULT_IMPORT_OPTIONS,
  ],
];

/**
 * Slices of 7 bytes cut the text everywhere: inside tags, CDATA sections and Khmer's three-byte characters. Pieces
 * of one character hold one entry each, so a post and each of its comments are read apart; of 500, a few entries.
 */
const SIZES: [string, ReadFileOptions][] = [
  ['7-byte slices, an entry a piece', { sliceBytes: 7, pieceChars: 1 }],
  ['13-byte slices, pieces of a few entries', { sliceBytes: 13, pieceChars: 500 }],
  ['the default slices and pieces', {}],
];

/**
 * `text` as a file whose slices come from memory: Chromium reads each slice of a real Blob through its blob store, 1 to
 * 2 ms a slice here, so a 29 KB fixture in 7-byte slices took 5 to 9 s, nearly all of it waiting for slices; what these
 * tests check is where the slices cut, the same bytes either way. Files read in the default slices, and a Disqus
 * export in 13-byte slices below, come from a real Blob.
 */
function sliceable(text: string): Blob {
  const bytes = new TextEncoder().encode(text);
  const part = (from: number, to: number) => ({
    size: to - from,
    slice: (start: number, end: number) => part(from + start, Math.min(to, from + end)),
    arrayBuffer: async () => bytes.slice(from, to).buffer,
  });
  return part(0, bytes.length) as unknown as Blob;
}

/** Reads `text` as the tab reads a file, in the slices `sizes` says (small ones from memory: `sliceable`). */
function read(text: string, options: ImportOptions, sizes: ReadFileOptions = {}): Promise<ImportPlan> {
  const file = sizes.sliceBytes === undefined ? new Blob([text]) : sliceable(text);
  return readImportFile(file, options, sizes);
}

async function refusal(text: string, sizes: ReadFileOptions = {}): Promise<ImportFileError> {
  const error: unknown = await read(text, DEFAULT_IMPORT_OPTIONS, sizes).then(
    () => new Error('the file was accepted'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
}

/** The file's entries (`<entry>`, `<thread>`…) moved: those that `first` picks ahead of all the others. */
function reordered(text: string, entry: string, first: (entry: string) => boolean): string {
  const pattern = new RegExp(`<${entry}[\\s>][\\s\\S]*?</${entry}>\\s*`, 'g');
  const entries = text.match(pattern)!;
  const start = text.indexOf(entries[0]!);
  const end = text.lastIndexOf(entries.at(-1)!) + entries.at(-1)!.length;
  const moved = [...entries.filter(first), ...entries.filter((found) => !first(found))];
  return text.slice(0, start) + moved.join('') + text.slice(end);
}

describe('readImportFile', () => {
  it('is given files with CDATA sections and characters of several bytes to cut', () => {
    expect(disqus).toContain('<![CDATA[');
    expect(wordpress).toContain('<![CDATA[');
    expect(new Blob([TRICKY_DISQUS]).size).toBeGreaterThan(TRICKY_DISQUS.length);
    const plan = parseImportFile(TRICKY_DISQUS, DEFAULT_IMPORT_OPTIONS);
    const khmer = plan.threads.flatMap((thread) => thread.comments).find((comment) => comment.sourceId === 'km1');
    expect(khmer?.body).toMatch(/^សួស្តី ពិភពលោក។/);
  });

  for (const [name, text, options] of FIXTURES) {
    for (const [sizesName, sizes] of SIZES) {
      it(`gives ${name} the plan parseImportFile gives the whole text (${sizesName})`, async () => {
        const whole = parseImportFile(text, options);
        expect(whole.threads.length).toBeGreaterThan(0);
        expect(await read(text, options, sizes)).toEqual(whole);
      });
    }
  }

  it('gives a file read from a real Blob in 13-byte slices the plan parseImportFile gives the whole text', async () => {
    const [, sizes] = SIZES[1]!;
    const plan = await readImportFile(new Blob([TRICKY_DISQUS]), DEFAULT_IMPORT_OPTIONS, sizes);
    expect(plan).toEqual(parseImportFile(TRICKY_DISQUS, DEFAULT_IMPORT_OPTIONS));
  });

  it('places comments listed before their post, and Disqus posts before their thread', async () => {
    const commentsFirst = reordered(backup, 'entry', (entry) => entry.includes('kind#comment'));
    expect(commentsFirst).not.toBe(backup);
    expect(await read(commentsFirst, DEFAULT_IMPORT_OPTIONS, { sliceBytes: 7, pieceChars: 1 })).toEqual(
      parseImportFile(backup, DEFAULT_IMPORT_OPTIONS),
    );
    const takeoutCommentsFirst = reordered(takeout, 'entry', (entry) => entry.includes('>COMMENT<'));
    expect(takeoutCommentsFirst).not.toBe(takeout);
    expect(await read(takeoutCommentsFirst, TAKEOUT_OPTIONS, { pieceChars: 1 })).toEqual(
      parseImportFile(takeout, TAKEOUT_OPTIONS),
    );
    const postsFirst = disqus
      .replace(/(<thread dsq:id[\s\S]*?<\/thread>\s*)+/, '')
      .replace('</disqus>', (disqus.match(/<thread dsq:id[\s\S]*?<\/thread>\s*/g) ?? []).join('') + '</disqus>');
    expect(postsFirst.indexOf('<post')).toBeLessThan(postsFirst.indexOf('<thread dsq:id'));
    expect(await read(postsFirst, DEFAULT_IMPORT_OPTIONS, { pieceChars: 1 })).toEqual(
      parseImportFile(disqus, DEFAULT_IMPORT_OPTIONS),
    );
  });

  it('refuses what parseImportFile refuses, with the same reason', async () => {
    const cases = [
      '',
      ' \n\t',
      '\uFEFF',
      backup.slice(0, 2000),
      disqus.replace('</disqus>', '</feed>'),
      disqus.replace('</disqus>', '</disqus><disqus/>'),
      disqus.replace('</disqus>', '</disqus> and some text'),
      disqus.replace('<post ', '<post><oops></post><post '),
      '<html><body>a web page</body></html>',
      "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>x</id></entry></feed>",
      '<rss version="2.0"><channel><title>Some feed</title></channel></rss>',
      'name,email\nDara,dara@example.com',
      '{"version": 1, "sites": [',
      '{"a": 1}',
      // A Sala export cut short inside a thread, or with its threads' commas wrong, or a bracket that closes a brace.
      TRICKY_SALA_EXPORT.slice(0, TRICKY_SALA_EXPORT.indexOf('post-3')),
      TRICKY_SALA_EXPORT.replace(/\},(\s+\{\s+"pageId": "post-2")/, '}$1'),
      TRICKY_SALA_EXPORT.replace(/(\s+\]\s+\},\s+\{\s+"site": "b")/, ',$1'),
      TRICKY_SALA_EXPORT.replace('"comments": []', '"comments": [}'),
      TRICKY_SALA_EXPORT.replace('"comments": []', '"comments": []]'),
      SALA_EXPORT.replace('"version":1', '"version":2'),
      // Another version, its threads of another shape: refused for its version.
      '{"version":2,"sites":[{"site":"a","threads":[{"page":"x","items":{}}]}]}',
      SALA_EXPORT.replace(/"sites":.*/, '"sites":[]}'),
      `${SALA_EXPORT} {}`,
    ];
    for (const text of cases) {
      let expected: string;
      try {
        parseImportFile(text, DEFAULT_IMPORT_OPTIONS);
        expected = 'accepted';
      } catch (error) {
        expected = (error as ImportFileError).code;
      }
      // Small pieces and slices, then the defaults.
      for (const sizes of [{ sliceBytes: 61, pieceChars: 1 }, {}]) {
        expect(`${(await refusal(text, sizes)).code}`, `${text.slice(0, 60)} (${JSON.stringify(sizes)})`).toBe(
          expected,
        );
      }
    }
    expect((await refusal(backup.slice(0, 2000))).message).toMatch(/not well-formed XML/);
  });

  it('reads a CDATA section longer than a megabyte across many slices (HTML with an image inlined)', async () => {
    const image = `<p>A photo: <img src="data:image/png;base64,${'A'.repeat(1_500_000)}"></p>`;
    const file = disqus.replace(
      '</disqus>',
      `<post dsq:id="big1"><message><![CDATA[${image}]]></message><createdAt>2026-11-05T05:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Dara</name></author><thread dsq:id="1001"/></post></disqus>`,
    );
    const plan = await read(file, DEFAULT_IMPORT_OPTIONS);
    expect(plan).toEqual(parseImportFile(file, DEFAULT_IMPORT_OPTIONS));
    const comment = plan.threads.flatMap((thread) => thread.comments).find((found) => found.sourceId === 'big1');
    expect(comment?.body).toBe('A photo:');
  });

  it('leaves a Blogger post’s body out of what it parses, and keeps every comment’s', async () => {
    expect(TRICKY_BLOGGER.split(UNREAD)).toHaveLength(6);
    for (const [, sizes] of SIZES) {
      let unreadParsed = 0;
      const plan = await parsedTexts(
        () => read(TRICKY_BLOGGER, DEFAULT_IMPORT_OPTIONS, sizes),
        (text) => (unreadParsed += text.split(UNREAD).length - 1),
      );
      expect(unreadParsed, JSON.stringify(sizes)).toBe(0);
      expect(plan).toEqual(parseImportFile(backup, DEFAULT_IMPORT_OPTIONS));
      expect(plan.counts.approved).toBeGreaterThan(0);
    }
  });

  it('reads a Blogger backup with an 8 MB post body without parsing it', async () => {
    const body = '&lt;p&gt;A long post.&lt;/p&gt;'.repeat((8 * 1024 * 1024) / 32);
    const file = backup.replace('&lt;p&gt;Boats on the river.&lt;/p&gt;', body);
    let longestParsed = 0;
    const plan = await parsedTexts(
      () => read(file, DEFAULT_IMPORT_OPTIONS),
      (text) => (longestParsed = Math.max(longestParsed, text.length)),
    );
    expect(longestParsed).toBeLessThan(file.length / 100);
    expect(plan).toEqual(parseImportFile(backup, DEFAULT_IMPORT_OPTIONS));
  });

  it('reads an empty Disqus export as one with nothing to import', async () => {
    const empty = '<?xml version="1.0"?><disqus xmlns="http://disqus.com"/>';
    expect(await read(empty, DEFAULT_IMPORT_OPTIONS)).toEqual(parseImportFile(empty, DEFAULT_IMPORT_OPTIONS));
  });

  it('says how far it has read, then stops when cancelled', async () => {
    const progress: ReadProgress[] = [];
    const plan = await read(backup, DEFAULT_IMPORT_OPTIONS, {
      sliceBytes: 4096,
      onProgress: (step) => progress.push(step),
    });
    expect(plan.counts.approved).toBeGreaterThan(0);
    const reading = progress.filter((step) => step.phase === 'reading');
    expect(reading.length).toBe(Math.ceil(new Blob([backup]).size / 4096));
    expect(reading.at(-1)).toEqual({ phase: 'reading', done: new Blob([backup]).size, total: new Blob([backup]).size });
    expect(progress.some((step) => step.phase === 'building')).toBe(true);

    const cancel = new AbortController();
    const cancelled = readImportFile(new Blob([backup]), DEFAULT_IMPORT_OPTIONS, {
      signal: cancel.signal,
      sliceBytes: 64,
      onProgress: () => cancel.abort(),
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });
});
