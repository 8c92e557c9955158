/** Accessibility checks for the list elements: axe's WCAG A/AA rules on an element, on a light or a dark page. */
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
