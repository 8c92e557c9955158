/** Reading an XML import file: parsed inertly by `DOMParser`, children found by local name whatever their prefix. */
import { ImportFileError } from './plan.js';

export function parseXml(text: string): XMLDocument {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  if (error !== undefined) {
    const detail = (error.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new ImportFileError('not-xml', `The file is not well-formed XML: ${detail}`);
  }
  return document;
}

/** Direct children named `name` (local name: `thr:in-reply-to` is `in-reply-to`). */
export function childrenNamed(element: Element, name: string): Element[] {
  return [...element.children].filter((child) => child.localName === name);
}

export function childNamed(element: Element, name: string): Element | null {
  for (const child of element.children) if (child.localName === name) return child;
  return null;
}

/** A direct child's text, trimmed; null when there is no such child. */
export function childText(element: Element, name: string): string | null {
  const child = childNamed(element, name);
  return child === null ? null : (child.textContent ?? '').trim();
}

/** An Atom `<content>` as HTML: `type="text"` content is text, so its `<` and `&` are escaped to stay text. */
export function atomContentHtml(entry: Element): string {
  const content = childNamed(entry, 'content');
  if (content === null) return '';
  const text = content.textContent ?? '';
  if (content.getAttribute('type') !== 'text') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>');
}
