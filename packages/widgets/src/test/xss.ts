/**
 * The XSS corpus and what the tests that feed it to Sala check: traps that notice a payload that runs, and what a
 * rendered comment may contain. The corpus is `tests/fixtures/xss/` (PayloadsAllTheThings, MIT; see its README).
 */
import { afterAll, beforeAll, expect, vi } from 'vitest';
import corpus from '@sala-fixtures/xss/payloads-all-the-things.txt?raw';
import { LINK_REL, type Block, type Inline } from '@sala/protocol';
import { RENDERED_TAGS } from '../internal/markdown.js';

/** One payload per non-empty line of the corpus. */
export const payloads = corpus.split('\n').filter((line) => line.trim() !== '');

/**
 * Replaces `alert`, `confirm` and `prompt` and a `window[flag]` setter for the file's tests; what a payload manages
 * to run lands in the returned list.
 */
export function installXssTraps(flag: string): string[] {
  const tripped: string[] = [];
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
  return tripped;
}

/** Proves the traps work: a real `onerror` that calls `alert` and sets the flag is noticed. */
export async function expectTrapsToNotice(tripped: string[], flag: string): Promise<void> {
  const image = document.createElement('img');
  image.setAttribute('onerror', `alert(1); window.${flag} = 1`);
  image.src = 'data:,not-an-image';
  document.body.append(image);
  await vi.waitFor(() => expect(tripped).toEqual(['alert(1)', flag]));
  image.remove();
  tripped.length = 0;
}

/** Gives anything that slipped through (an `onerror`, a timer) time to fire. */
export const letPayloadsFire = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every element and attribute a render produced, checked against what the renderer may make. */
export function assertInert(root: ParentNode, where: string): void {
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

/** Every link target in parsed Markdown. */
export function markdownLinks(blocks: Block[]): string[] {
  const inline = (nodes: Inline[]): string[] =>
    nodes.flatMap((node) =>
      node.type === 'link' ? [node.href, ...inline(node.children)] : 'children' in node ? inline(node.children) : [],
    );
  return blocks.flatMap((block) => {
    switch (block.type) {
      case 'paragraph':
        return inline(block.children);
      case 'quote':
        return markdownLinks(block.children);
      case 'list':
        return block.items.flatMap(markdownLinks);
      default:
        return [];
    }
  });
}
