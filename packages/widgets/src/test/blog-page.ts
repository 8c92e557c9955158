/**
 * A blog page around the widgets in tests: light or dark, and a Blogger sidebar gadget whose box clips a focus ring. Apart
 * from axe.ts, so a test that lays widgets out without auditing them does not load axe-core (1.4 MB) before its first test.
 */
import { expect } from 'vitest';

/** Styles the test page as a blog would, light or dark, and returns a <main> to put elements in. */
export function blogPage(theme: 'light' | 'dark'): HTMLElement {
  const [background, color] = theme === 'dark' ? ['#0d1117', '#e6edf3'] : ['#ffffff', '#111111'];
  document.body.style.cssText = `margin: 0; background: ${background}; color: ${color}; font: 16px/1.5 system-ui`;
  const main = document.createElement('main');
  const title = document.createElement('h1');
  title.textContent = 'Mekong Notes';
  main.append(title);
  document.body.append(main);
  return main;
}

/**
 * A Blogger sidebar gadget on a blog page: its title and the box its content goes in (`.widget-content`, returned),
 * which Blogger's themes clip with overflow: hidden. `width`: a desktop's sidebar column; by default the gadget fills
 * the page less a phone's margins.
 */
export function bloggerGadget(theme: 'light' | 'dark', title: string, width?: number): HTMLElement {
  const gadget = document.createElement('div');
  gadget.className = 'widget HTML';
  gadget.style.cssText = `margin: 16px; width: ${width ? `${width}px` : 'auto'}`;
  gadget.innerHTML = '<h3 class="title"></h3><div class="widget-content" style="overflow: hidden"></div>';
  gadget.querySelector('h3')!.textContent = title;
  blogPage(theme).append(gadget);
  return gadget.querySelector('.widget-content')!;
}

/** Focuses `control` and says where its ring reaches past `clip`'s box, as "its text: side" lines. */
export function ringCut(control: HTMLElement, clip: Element): string[] {
  control.focus();
  const style = getComputedStyle(control);
  expect(control.matches(':focus-visible') && style.outlineStyle).toBe('solid');
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const box = clip.getBoundingClientRect();
  // A link wrapped over lines has a ring around each line's piece of it.
  return [...control.getClientRects()].flatMap((piece) =>
    [
      piece.left - reach < box.left && 'left',
      piece.right + reach > box.right && 'right',
      piece.top - reach < box.top && 'top',
      piece.bottom + reach > box.bottom && 'bottom',
    ]
      .filter(Boolean)
      .map((side) => `${control.textContent}: ${side}`),
  );
}
