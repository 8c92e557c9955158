/**
 * Accessibility checks for the list elements: axe's WCAG A/AA rules on an element, on a light or a dark page, and
 * whether a focus ring shows whole in a Blogger sidebar gadget.
 */
import axe from 'axe-core';
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

/** axe's violations inside `element`, one line each; `reached` are rules that must have found something to check. */
export async function axeViolations(element: Element, reached: string[]): Promise<string[]> {
  const results = await axe.run(element);
  // Proof the audit reached into the shadow root: these rules found something to check there.
  expect(results.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(reached));
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
  );
}

/**
 * Focuses `control` and says where its ring lies over its first or last letter (drawn inside its box, it needs room
 * there: padding), as "its text: start" or "its text: end" lines. The letters' boxes are their advances, so a ring
 * that only meets them at their edge is not over them.
 */
export function ringOverText(control: HTMLElement): string[] {
  control.focus();
  const style = getComputedStyle(control);
  const inset = -parseFloat(style.outlineOffset);
  const range = document.createRange();
  range.selectNodeContents(control);
  const [pieces, text] = [[...control.getClientRects()], [...range.getClientRects()]];
  const [firstPiece, lastPiece, firstText, lastText] = [pieces[0]!, pieces.at(-1)!, text[0]!, text.at(-1)!];
  const rtl = style.direction === 'rtl';
  const room = {
    start: rtl ? firstPiece.right - firstText.right : firstText.left - firstPiece.left,
    end: rtl ? lastText.left - lastPiece.left : lastPiece.right - lastText.right,
  };
  return Object.entries(room)
    .filter(([, space]) => space < inset - 0.01)
    .map(([side]) => `${control.textContent}: ${side}`);
}
