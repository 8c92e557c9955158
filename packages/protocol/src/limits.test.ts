import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';
import { MARKDOWN_DEPTH } from './markdown.js';
import { PAGE_ID_MAX } from './page-id.js';

describe('LIMITS', () => {
  // Kept beside the code that applies them, so a widget chunk that needs one does not carry them all.
  it('says what the page-id and Markdown code apply', () => {
    expect(LIMITS.pageId).toBe(PAGE_ID_MAX);
    expect(LIMITS.markdownDepth).toBe(MARKDOWN_DEPTH);
  });
});
