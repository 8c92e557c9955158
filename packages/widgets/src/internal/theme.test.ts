import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api.js';
import { $, mount } from '../test/render.js';
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
