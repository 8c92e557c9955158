/** What a ban's sentences do with a commenter's name: keep it from reordering the words around it (Chromium). */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cleanUp, deepQuery, deepQueryAll, mountAdmin, page } from '../test/admin-render.js';
import { adminComment, FakeAdminApi } from '../test/fake-admin-api.js';

/** An Arabic name as an import keeps it, ending in U+202E: unisolated, what follows it on the line reads backwards. */
const NAME = 'دارا\u202e';

let api: FakeAdminApi;

beforeEach(() => {
  api = new FakeAdminApi().install();
  api.signedIn = true;
});

afterEach(cleanUp);

/** The text of each live region (status, alert, alertdialog) holding U+2066–U+2069, which a screen reader may read out. */
const markedLive = () =>
  deepQueryAll('[role="status"], [role="alert"], [role="alertdialog"]')
    .map((region) => region.textContent ?? '')
    .filter((text) => /[\u2066-\u2069]/.test(text));

/** Where a character of the text of `element` (its first text node) is drawn: its left edge, in pixels. */
function xOf(node: Text, offset: number): number {
  const range = document.createRange();
  range.setStart(node, offset);
  range.setEnd(node, offset + 1);
  return range.getBoundingClientRect().left;
}

/**
 * Whether `words` (in `element`'s own text, not its <bdi>) are drawn left to right in the order given, each reading
 * left to right (its first letter left of its last): true of an English sentence, and not of one a bidi control
 * reversed.
 */
function inOrder(element: Element, words: string[]): boolean {
  // Its own text nodes, in order: the name, in a <bdi>, is not among them.
  const nodes = [...element.childNodes].filter((child): child is Text => child instanceof Text);
  let [at, from] = [0, 0];
  const spans = words.map((word) => {
    let start = nodes[at]?.data.indexOf(word, from) ?? -1;
    while (start === -1 && ++at < nodes.length) start = nodes[at]!.data.indexOf(word);
    expect(start, word).toBeGreaterThanOrEqual(0);
    from = start + word.length;
    return [xOf(nodes[at]!, start), xOf(nodes[at]!, start + word.length - 1)] as const;
  });
  return spans.every(([first, last], i) => first < last && (i === 0 || first > spans[i - 1]![1]));
}

it('keeps the ban toast’s English words in order after an Arabic name holding a bidi control, reading out no isolate marks', async () => {
  // No email or address: banned by name, the label the toast names.
  const { ipHash: _ipHash, ...comment } = adminComment('c1');
  api.comments = [{ ...comment, author: { name: NAME, avatar: 'seed-c1' } }];
  await mountAdmin();
  await page.getByRole('button', { name: 'Ban…' }).click();
  const dialog = page.getByRole('dialog');
  const heading = deepQuery('#ban-heading')!;
  await dialog.getByLabelText('For').selectOptions('Until I lift it');
  await dialog.getByRole('button', { name: 'Ban', exact: true }).click();

  const status = deepQuery('[role="status"]')!;
  await expect.poll(() => status.textContent).toContain('banned until you lift it.');
  expect(inOrder(status, ['banned', 'until', 'you', 'lift', 'it.'])).toBe(true);
  // The name shown in a <bdi>, so the text a screen reader announces is the sentence's words alone.
  expect(status.textContent).toBe(`${NAME} banned until you lift it.`);
  expect(status.querySelector('bdi')?.textContent).toBe(NAME);
  expect(markedLive()).toEqual([]);
  // The dialog's heading ("Ban دارا") names them in a <bdi>: its text, and so the dialog's name, as before.
  expect(heading.querySelector('bdi')?.textContent).toBe(NAME);
});

it('keeps the lifted ban’s toast in order around the name, reading out no isolate marks', async () => {
  api.bans = [
    { id: 'b1', kind: 'name', label: NAME, createdAt: '2026-11-20T00:00:00Z', expiresAt: null },
    // Its own end of an isolate before the control: kept, it would end the name's isolate there and let the control
    // reverse the sentence after it.
    { id: 'b2', kind: 'name', label: 'آرش\u2069\u202e', createdAt: '2026-11-20T00:00:00Z', expiresAt: null },
  ];
  location.hash = '#bans';
  await mountAdmin();
  // The button's name, which only screen readers read, holds the name's words without the control.
  await page.getByRole('button', { name: 'Lift the ban on دارا', exact: true }).click();

  const status = deepQuery('[role="status"]')!;
  await expect.poll(() => status.textContent).toContain('lifted.');
  expect(inOrder(status, ['Ban', 'on', 'lifted.'])).toBe(true);
  expect(status.querySelector('bdi')?.textContent).toBe(NAME);
  expect(markedLive()).toEqual([]);

  await page.getByRole('button', { name: 'Lift the ban on آرش', exact: true }).click();
  await expect.poll(() => status.textContent).toContain('آرش');
  expect(inOrder(status, ['Ban', 'on', 'lifted.'])).toBe(true);
  // The whole name in the <bdi>, without the isolate marks it held.
  expect(status.querySelector('bdi')?.textContent).toBe('آرش\u202e');
  expect(markedLive()).toEqual([]);
});
