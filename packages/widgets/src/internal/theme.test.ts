import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, article, form, mount } from '../test/render.js';
import { isDarkHost } from './theme.js';

afterEach(() => {
  document.body.replaceChildren();
  for (const node of [document.documentElement, document.body]) {
    node.removeAttribute('class');
    node.removeAttribute('data-theme');
    node.removeAttribute('style');
  }
});

function placed(style = ''): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.style.cssText = style;
  const probe = document.createElement('span');
  wrapper.append(probe);
  document.body.append(wrapper);
  return probe;
}

describe('isDarkHost', () => {
  it('is light on a plain page', () => {
    expect(isDarkHost(placed())).toBe(false);
  });

  it('follows a dark class or data-theme on <html> or <body>', () => {
    document.documentElement.classList.add('dark');
    expect(isDarkHost(placed())).toBe(true);
    document.documentElement.classList.remove('dark');
    document.body.dataset['theme'] = 'dark';
    expect(isDarkHost(placed())).toBe(true);
  });

  it('lets an explicit light marker win over a dark background', () => {
    document.documentElement.dataset['theme'] = 'light';
    expect(isDarkHost(placed('background: #000'))).toBe(false);
  });

  it('reads the first opaque background behind the element, in any colour syntax', () => {
    expect(isDarkHost(placed('background: #121212'))).toBe(true);
    expect(isDarkHost(placed('background: oklch(0.2 0.02 260)'))).toBe(true);
    expect(isDarkHost(placed('background: rgba(0, 0, 0, 0.1)'))).toBe(false);
    expect(isDarkHost(placed('background: #fafafa'))).toBe(false);
    document.body.style.background = '#1e1e1e';
    expect(isDarkHost(placed())).toBe(true);
  });

  it('treats a bare canvas as dark only when the page declares dark as its only scheme', () => {
    document.documentElement.style.colorScheme = 'dark';
    expect(isDarkHost(placed())).toBe(true);
  });
});

describe('<sala-comments theme>', () => {
  it('follows the page as it switches, and obeys a forced theme', async () => {
    new FakeApi().install();
    const element = await mount();
    const root = () => $(element, '.root');
    expect(root().classList.contains('dark')).toBe(false);

    document.documentElement.classList.add('dark');
    await new Promise((resolve) => setTimeout(resolve));
    await element.updateComplete;
    expect(root().classList.contains('dark')).toBe(true);

    element.setAttribute('theme', 'light');
    await element.updateComplete;
    expect(root().classList.contains('dark')).toBe(false);

    document.documentElement.classList.remove('dark');
    element.setAttribute('theme', 'dark');
    await element.updateComplete;
    expect(root().classList.contains('dark')).toBe(true);
  });
});

describe('<sala-comments> styling from the page', () => {
  it('takes --sala-* custom properties and ::part() rules, including the parts of the form', async () => {
    new FakeApi().install().threads.set(PAGE, threadFixture());
    const style = document.createElement('style');
    style.textContent = `
      sala-comments { --sala-accent: rgb(200, 0, 100); --sala-radius: 0px; }
      sala-comments::part(comment) { padding-top: 17px; }
      sala-comments::part(textarea) { min-height: 123px; }
    `;
    document.head.append(style);
    try {
      const element = await mount();
      const composer = await form(element);
      const submit = $(composer, '[part~="submit"]');
      expect(getComputedStyle(submit).backgroundColor).toBe('rgb(200, 0, 100)');
      expect(getComputedStyle(submit).borderTopLeftRadius).toBe('0px');
      expect(getComputedStyle(article(element, 'c1')).paddingTop).toBe('17px');
      expect(getComputedStyle($(composer, 'textarea')).minHeight).toBe('123px');
    } finally {
      style.remove();
    }
  });
});
