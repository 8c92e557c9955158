import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import corpus from '@sala-fixtures/xss/payloads-all-the-things.txt?raw';
import { LINK_REL, type PublicComment } from '@sala/protocol';
import { RENDERED_TAGS } from '../internal/markdown.js';
import { FakeApi } from '../test/fake-api.js';
import { PAGE } from '../test/fixtures.js';
import { $, $$, article, fill, form, mount, text } from '../test/render.js';

const payloads = corpus.split('\n').filter((line) => line.trim() !== '');

/** Set by anything a payload manages to run. */
const tripped: string[] = [];
const flag = '__salaXss';
const trap =
  (name: string) =>
  (...args: unknown[]) =>
    void tripped.push(`${name}(${args.map(String).join(',')})`);

beforeAll(() => {
  vi.stubGlobal('alert', trap('alert'));
  vi.stubGlobal('confirm', trap('confirm'));
  vi.stubGlobal('prompt', trap('prompt'));
  Object.defineProperty(window, flag, { set: () => tripped.push(flag), configurable: true });
});

afterAll(() => {
  Reflect.deleteProperty(window, flag);
  vi.unstubAllGlobals();
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
});

/** Every element and attribute a render produced, checked against what the renderer may make. */
function assertInert(root: ParentNode, where: string): void {
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith('on'), `${where}: <${element.localName} ${attribute}>`).toBe(false);
    }
  }
  for (const body of root.querySelectorAll('[part~="body"], [part~="preview"]')) {
    for (const element of body.querySelectorAll('*')) {
      expect([...RENDERED_TAGS, 'span'], `${where}: <${element.localName}> in a comment`).toContain(element.localName);
    }
  }
  for (const link of root.querySelectorAll('a')) {
    expect(new URL(link.href).protocol, `${where}: ${link.href}`).toMatch(/^(https?|mailto):$/);
    expect(link.rel).toBe(LINK_REL);
  }
}

describe('the XSS corpus', () => {
  it(`has ${payloads.length} payloads to try, and a trap that notices one that runs`, async () => {
    expect(payloads.length).toBeGreaterThan(100);
    const image = document.createElement('img');
    image.setAttribute('onerror', `alert(1); window.${flag} = 1`);
    image.src = 'data:,not-an-image';
    document.body.append(image);
    await vi.waitFor(() => expect(tripped).toEqual(['alert(1)', flag]));
    tripped.length = 0;
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
    // Give anything that slipped through (an onerror, a timer) time to fire.
    await new Promise((resolve) => setTimeout(resolve, 300));

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
    await new Promise((resolve) => setTimeout(resolve, 100));

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
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tripped).toEqual([]);
  });
});
