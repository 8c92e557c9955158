import { expect, it } from 'vitest';
import { html, LitElement } from 'lit';
class X extends LitElement { override render() { return html`<p>hi</p>`; } }
customElements.define('x-y', X);
it('renders', async () => {
  const el = document.createElement('x-y') as X; document.body.append(el); await el.updateComplete;
  expect(el.shadowRoot!.textContent).toContain('hi');
});
