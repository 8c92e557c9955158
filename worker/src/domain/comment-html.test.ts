import { describe, expect, it } from 'vitest';
import { commentHtml, FEED_TEXT_CHARS, feedText } from './comment-html.js';

describe('commentHtml', () => {
  it('renders the Markdown subset as the widget does', () => {
    expect(commentHtml('Hello *there* **friend**, see `x < y`\nnext line\n\n> quoted\n\n3. three\n4. four')).toBe(
      '<p>Hello <em>there</em> <strong>friend</strong>, see <code>x &lt; y</code><br>next line</p>' +
        '<blockquote><p>quoted</p></blockquote><ol start="3"><li><p>three</p></li><li><p>four</p></li></ol>',
    );
  });

  it('links only http(s) addresses, with the comment link rel', () => {
    expect(commentHtml('[site](https://example.com/?a=1&b=2) [bad](javascript:alert(1)) [mail](mailto:a@b.co)')).toBe(
      '<p><a href="https://example.com/?a=1&amp;b=2" rel="nofollow ugc noopener noreferrer">site</a> ' +
        '[bad](javascript:alert(1)) mail</p>',
    );
  });

  it('keeps raw HTML as text', () => {
    expect(commentHtml('<script>alert("x")</script><img src=x onerror=alert(1)>')).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });
});

describe('feedText', () => {
  it('keeps a comment that fits, and cuts a long one at a space with an ellipsis, once', () => {
    expect(feedText('Short and sweet')).toBe('Short and sweet');
    const long = 'word '.repeat(1_000);
    const cut = feedText(long);
    expect(cut.length).toBeLessThanOrEqual(FEED_TEXT_CHARS);
    expect(cut.endsWith('word …')).toBe(true);
    expect(feedText(cut)).toBe(cut);
  });

  it('never leaves half of a surrogate pair', () => {
    const cut = feedText('😀'.repeat(FEED_TEXT_CHARS));
    expect(cut.length).toBeLessThanOrEqual(FEED_TEXT_CHARS);
    expect(cut).toMatch(/^(😀)+ …$/u);
  });
});
