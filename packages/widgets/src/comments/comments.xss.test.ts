import { afterEach, describe, expect, it } from 'vitest';
import { type PublicComment } from '@sala/protocol';
import { FakeApi } from '../test/fake-api.js';
import { PAGE } from '../test/fixtures.js';
import { $, $$, fill, form, mount } from '../test/render.js';
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

  it('previews every payload inertly in the form', async () => {
    new FakeApi().install();
    const element = await mount({ 'page-id': 'preview' });
    const composer = await form(element);
    const toggle = $(composer, '[aria-pressed]');
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
