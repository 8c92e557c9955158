import { afterEach, describe, expect, it } from 'vitest';
import { parseMarkdown, toPlainText, type PublicComment } from '@sala/protocol';
import { FakeApi } from '../../test/fake-api.js';
import { PAGE } from '../../test/fixtures.js';
import { $, mount } from '../../test/render.js';
import {
  assertInert,
  expectTrapsToNotice,
  installXssTraps,
  letPayloadsFire,
  markdownLinks,
  payloads,
} from '../../test/xss.js';
import { htmlToMarkdown } from './html-to-markdown.js';

function asText(text: string): string {
  const holder = document.createElement('div');
  holder.textContent = text;
  return holder.innerHTML;
}

describe('htmlToMarkdown', () => {
  it('keeps paragraphs, line breaks, bold, italics and code', () => {
    expect(htmlToMarkdown('<p>First <b>bold</b> and <i>soft</i>.</p><p>Second<br>line <code>x = 1</code></p>')).toBe(
      'First **bold** and *soft*.\n\nSecond\nline `x = 1`',
    );
    expect(htmlToMarkdown('Blogger style<br /><br />two paragraphs<br/>and a break')).toBe(
      'Blogger style\n\ntwo paragraphs\nand a break',
    );
    expect(htmlToMarkdown('<strong> spaced </strong>out')).toBe(' **spaced** out'.trim());
    expect(htmlToMarkdown('<pre>let a = 1;\n  let b = 2;</pre>')).toBe('```\nlet a = 1;\n  let b = 2;\n```');
  });

  it('keeps quotes and lists as the Markdown parser reads them', () => {
    const markdown = htmlToMarkdown(
      '<blockquote><p>quoted</p><p>twice</p></blockquote><ul><li>one</li><li>two <b>b</b></li></ul><ol start="3"><li>three</li><li>four</li></ol>',
    );
    expect(markdown).toBe('> quoted\n>\n> twice\n\n- one\n- two **b**\n\n3. three\n4. four');
    const blocks = parseMarkdown(markdown);
    expect(blocks.map((block) => block.type)).toEqual(['quote', 'list', 'list']);
  });

  it('links only http(s) and mailto addresses; other links become their text', () => {
    const markdown = htmlToMarkdown(
      '<a href="https://example.com/a_(b)">site</a> <a href="javascript:alert(1)">click</a> <a href="/relative">rel</a> <a href="mailto:a@b.example">mail</a>',
    );
    expect(markdownLinks(parseMarkdown(markdown))).toEqual(['https://example.com/a_%28b%29', 'mailto:a@b.example']);
    expect(toPlainText(markdown)).toBe('site click rel mail');
  });

  it('shows Markdown characters and entities as they were written', () => {
    const cases: [string, string][] = [
      [
        '2 * 3 * 4 = 24, snake_case_name, [not a link](https://x.example)',
        '2 * 3 * 4 = 24, snake_case_name, [not a link](https://x.example)',
      ],
      ['&lt;b&gt;not bold&lt;/b&gt; &amp; `tick`', '<b>not bold</b> & `tick`'],
      [
        '- not a list<br>1. not a list<br>&gt; not a quote<br>```not a fence',
        '- not a list 1. not a list > not a quote ```not a fence',
      ],
      ['C:\\Users\\me **', 'C:\\Users\\me **'],
    ];
    for (const [html, text] of cases) {
      const blocks = parseMarkdown(htmlToMarkdown(html));
      expect(
        blocks.map((block) => block.type),
        html,
      ).toEqual(['paragraph']);
      expect(toPlainText(blocks), html).toBe(text);
    }
    expect(markdownLinks(parseMarkdown(htmlToMarkdown('see https://example.com/a_b_c_ now')))).toEqual([
      'https://example.com/a_b_c',
    ]);
  });

  it('drops scripts, styles and images, and is empty when nothing readable is left', () => {
    expect(htmlToMarkdown('<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)>')).toBe('');
    expect(htmlToMarkdown('<p> </p><br>')).toBe('');
    expect(htmlToMarkdown('<div><span>kept</span></div><script>x</script>')).toBe('kept');
    expect(
      htmlToMarkdown('<table><tr><th>Day</th><th>Boats</th></tr><tr><td>Monday</td><td>12</td></tr></table>'),
    ).toBe('Day Boats\n\nMonday 12');
  });

  it('reads newlines as the author typed them when asked (WordPress)', () => {
    expect(htmlToMarkdown('one\ntwo\n\nthree <b>b</b>', { newlines: true })).toBe('one\ntwo\n\nthree **b**');
    expect(htmlToMarkdown('one\ntwo', { newlines: false })).toBe('one two');
  });
});

describe('the XSS corpus through htmlToMarkdown', () => {
  const flag = '__salaImportXss';
  const tripped = installXssTraps(flag);
  afterEach(() => document.body.replaceChildren());

  it('has a trap that notices a payload that runs', () => expectTrapsToNotice(tripped, flag));

  it(`converts all ${payloads.length} payloads, as HTML and as text, to Markdown with only safe links`, async () => {
    expect(payloads.length).toBeGreaterThan(100);
    for (const payload of payloads) {
      for (const markdown of [htmlToMarkdown(payload), htmlToMarkdown(asText(payload))]) {
        for (const href of markdownLinks(parseMarkdown(markdown))) {
          expect(new URL(href).protocol, `${payload} → ${href}`).toMatch(/^(https?|mailto):$/);
        }
      }
      // As text, a payload is shown exactly as written.
      expect(toPlainText(htmlToMarkdown(asText(payload))), payload).toBe(payload.replace(/\s+/g, ' ').trim());
    }
    // Converting runs nothing either: give an onerror or a timer the time to fire.
    await letPayloadsFire();
    expect(tripped).toEqual([]);
  });

  it('renders every converted payload in <sala-comments> without running anything', async () => {
    const api = new FakeApi().install();
    api.pageSize = 500;
    const comments: PublicComment[] = payloads.flatMap((payload, index) =>
      [htmlToMarkdown(payload), htmlToMarkdown(asText(payload))]
        .filter((body) => body !== '')
        .map((body, kind) => ({
          id: `x${index}k${kind}`,
          parentId: null,
          author: { name: 'Imported', avatar: 'seed' },
          body,
          createdAt: '2020-01-01T00:00:00Z',
        })),
    );
    api.threads.set(PAGE, comments);
    const element = await mount();
    await letPayloadsFire();

    const root = element.shadowRoot!;
    expect(root.querySelectorAll('article')).toHaveLength(comments.length);
    expect($(element, `#comment-${comments[0]!.id}`)).toBeTruthy();
    assertInert(root, 'imported thread');
    expect(root.querySelectorAll('script, style, iframe, img, object, embed')).toHaveLength(0);
    expect(tripped).toEqual([]);
  });
});
