/**
 * Accessibility checks for the list elements: axe's WCAG A/AA rules on an element, on a light or a dark page, and
 * whether a focus ring shows whole in a Blogger sidebar gadget (the page and the ring: blog-page.ts, exported here too).
 */
import axe from 'axe-core';
import { expect } from 'vitest';

export { blogPage, bloggerGadget, ringCut } from './blog-page.js';

/** axe's violations inside `element`, one line each; `reached` are rules that must have found something to check. */
export async function axeViolations(element: Element, reached: string[]): Promise<string[]> {
  // Passes list each rule with one node, not every node it checked: only their rules are read.
  const results = await axe.run(element, { resultTypes: ['violations'] });
  // Proof the audit reached into the shadow root: these rules found something to check there.
  expect(results.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(reached));
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
  );
}

/**
 * Focuses `control` and says where its ring lies over the first or last letter of a line (drawn inside its box, it
 * needs room there: padding), as "its text, line 2: start" or "…: end" lines: a link that wraps has a ring around each
 * line's piece of it. The letters' boxes are their advances, so a ring that only meets them at their edge is not over
 * them. With `overLines`, also where it lies over a line's letters from above or below ("…: top", "…: bottom"): their
 * boxes run from the font's ascent to its descent, which an inline link's ring crosses at the descenders unless its
 * padding gives it room.
 */
export function ringOverText(control: HTMLElement, { overLines = false } = {}): string[] {
  control.focus();
  const style = getComputedStyle(control);
  const inset = -parseFloat(style.outlineOffset);
  const range = document.createRange();
  range.selectNodeContents(control);
  const text = [...range.getClientRects()].filter((rect) => rect.width > 0);
  const rtl = style.direction === 'rtl';
  return [...control.getClientRects()].flatMap((piece, line) => {
    // The letters on this piece's line: their boxes' middles lie within it.
    const letters = text.filter(
      (rect) => Math.abs((rect.top + rect.bottom) / 2 - (piece.top + piece.bottom) / 2) < piece.height / 2,
    );
    if (letters.length === 0) return [];
    const [left, right] = [
      Math.min(...letters.map((rect) => rect.left)),
      Math.max(...letters.map((rect) => rect.right)),
    ];
    const room = {
      start: rtl ? piece.right - right : left - piece.left,
      end: rtl ? left - piece.left : piece.right - right,
      ...(overLines && {
        top: Math.min(...letters.map((rect) => rect.top)) - piece.top,
        bottom: piece.bottom - Math.max(...letters.map((rect) => rect.bottom)),
      }),
    };
    return Object.entries(room)
      .filter(([, space]) => space < inset - 0.01)
      .map(([side]) => `${control.textContent}, line ${line + 1}: ${side}`);
  });
}
