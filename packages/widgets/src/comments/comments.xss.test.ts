import { afterEach, describe, expect, it, vi } from 'vitest';
import { type PublicComment } from '@sala/protocol';
import { FakeApi } from '../test/fake-api.js';
import { PAGE } from '../test/fixtures.js';
import { $, $$, article, fill, form, mount, text } from '../test/render.js';
import { assertInert, expectTrapsToNotice, installXssTraps, letPayloadsFire, payloads } from '../test/xss.js';

const flag = '__salaXss';
const tripped = installXssTraps(flag);

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
});

describe('the XSS corpus', () => {
  it(`has ${payloads.length} payloads to try, and a trap that notices one that runs`, async () => {
    expect(payloads.length).toBeGreaterThan(100);
    await expectTrapsToNotice(tripped, flag);
  });

  it('renders every payload as name, website and body without running it or adding markup', async () => {
    const api = new FakeApi().install();
    api.pageSize = 500;
    const comments: PublicComment[] = payloads.map((payload, index) => ({
      id: `x${index}`,
      parentId: null,
      author: { name: payload, website: payload, avatar: payload },
      body: payload,
      createdAt: payload,
    }));
    api.threads.set(PAGE, comments);
    const element = await mount();
    await letPayloadsFire();

    expect($$(element, 'article')).toHaveLength(payloads.length);
    payloads.forEach((payload, index) => {
      const author = $(element, `#comment-x${index} [part="author"]`);
      expect(author.textContent).toBe(payload);
    });
    assertInert(element.shadowRoot!, 'thread');
    expect(element.shadowRoot!.querySelectorAll('script, style, iframe, img, object, embed, form')).toHaveLength(0);
    expect(tripped).toEqual([]);
  });

  it('renders parsed text from a broken or hostile API inertly: unknown nodes, unsafe links, deep nesting', async () => {
    const api = new FakeApi().install();
    let deep: unknown = 'bottom';
    for (let level = 0; level < 1_000; level++) deep = ['quote', deep];
    const parsed = [
      ['p', ['a', 'javascript:alert(1)', 'click'], ['a', 'data:text/html,<script>alert(1)</script>', 'data']],
      ['p', ['img', 'x'], { type: 'text', text: 'object' }, 42, ['script', 'alert(1)'], ['code', ['<b>']]],
      ['ol', '1" onclick="alert(1)', ['<img src=x onerror=alert(1)>']],
      ['ul', 'not an item', [['pre', '<script>alert(1)</script>']]],
      deep,
      ...payloads.slice(0, 50),
    ];
    api.threads.set('hostile', [
      { id: 'h1', parentId: null, author: { name: 'H', avatar: 'h' }, body: '', createdAt: '', parsed } as never,
      {
        id: 'h2',
        parentId: null,
        author: { name: 'H', avatar: 'h' },
        body: 'fine',
        createdAt: '',
        parsed: 'nope',
      } as never,
    ]);
    const element = await mount({ 'page-id': 'hostile' });
    await letPayloadsFire(100);

    const body = $(article(element, 'h1'), '[part="body"]');
    expect(body.querySelectorAll('a')).toHaveLength(0);
    expect(body.textContent).toContain('clickdata');
    expect(body.textContent).toContain('<script>alert(1)</script>');
    expect(text($(article(element, 'h2'), '[part="body"]'))).toBe('fine');
    assertInert(element.shadowRoot!, 'hostile parsed text');
    expect(tripped).toEqual([]);
  });

  it('previews every payload inertly in the form', async () => {
    new FakeApi().install();
    const element = await mount({ 'page-id': 'preview' });
    const composer = await form(element);
    const toggle = $(composer, '[aria-pressed]');
    // Previews render with the parser, fetched once the reader starts on the form: wait for it, so each is parsed.
    await fill(composer, 'body', '**ready**');
    toggle.click();
    await vi.waitFor(() => expect($(composer, '[part="preview"] strong').textContent).toBe('ready'));
    toggle.click();
    for (const payload of payloads) {
      await fill(composer, 'body', payload);
      toggle.click();
      await composer.updateComplete;
      assertInert(composer.shadowRoot!, `preview of ${payload}`);
      toggle.click();
      await composer.updateComplete;
    }
    await letPayloadsFire(100);
    expect(tripped).toEqual([]);
  });
});
