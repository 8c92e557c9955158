/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): a name holding U+202E shows the
 * text after it reversed wherever it is written among other text (a mail's subject, a label). The Worker refuses them
 * in a new comment's name and leaves them out where a stored name (an imported one) is written as plain text; the
 * widget leaves them out of the name it sends (its own copy of the set, comments/sending.ts, tested against this).
 * The marks (U+200E, U+200F, U+061C) stay: they order the text beside them no more than a Hebrew or Arabic letter
 * does, and people writing those scripts type them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
const EVERY_BIDI_CONTROL = new RegExp(BIDI_CONTROLS, 'g');

/** True when `text` holds a bidi embedding, override or isolate. */
export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROLS.test(text);
}

/** `text` without bidi embeddings, overrides and isolates, for plain text where it sits among other words. */
export function withoutBidiControls(text: string): string {
  return text.replace(EVERY_BIDI_CONTROL, '');
}
