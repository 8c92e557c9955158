/** The comment a reader sends, as the form's fields become its POST body. */
import { expect, it } from 'vitest';
import { hasBidiControls, withoutBidiControls } from '@sala/protocol';
import { createRequest } from './sending.js';

const proof = { hp: '', elapsedMs: 20_000 };
const page = { pageId: 'https://blog.example.com/2026/12/walk.html', pageUrl: null };

it('leaves out of the name the bidi controls the API refuses, the same set as @sala/protocol, and keeps the marks', () => {
  // Every character of the General Punctuation block and the Arabic letter mark, each between two letters.
  const characters = [...Array.from({ length: 0x70 }, (_, i) => 0x2000 + i), 0x061c].map((c) =>
    String.fromCodePoint(c),
  );
  for (const character of characters) {
    const typed = `Dara${character}Sok`;
    const { name } = createRequest({ name: typed, email: '', website: '', body: 'Hi' }, page, null, proof);
    expect(name, `U+${character.codePointAt(0)!.toString(16)}`).toBe(withoutBidiControls(typed).trim());
    expect(hasBidiControls(name)).toBe(false);
  }
  const wrapped = '\u2068ليلى\u2069 \u200fRTL';
  expect(createRequest({ name: wrapped, email: '', website: '', body: 'Hi' }, page, null, proof).name).toBe(
    'ليلى \u200fRTL',
  );
});
