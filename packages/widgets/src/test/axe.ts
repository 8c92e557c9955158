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
