/**
 * Markup types for Sala's elements in Svelte 5 (svelte-check): attributes, `strings`, and
 * `onsala-comment-posted={...}` (each `sala-*` event) with its typed detail.
 * Use: `import type {} from '@sala/widgets/svelte';` once, in any .ts file of the app.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { SalaElementAttributes, SalaEventListeners } from '../dist/index.js';

type SalaSvelteElements = {
  [Tag in keyof SalaElementAttributes]: HTMLAttributes<HTMLElementTagNameMap[Tag]> &
    SalaElementAttributes[Tag] &
    SalaEventListeners;
};

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends SalaSvelteElements {}
}
