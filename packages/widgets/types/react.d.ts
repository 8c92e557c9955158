/**
 * JSX types for Sala's elements in React 19, which passes custom elements' props through: properties where the
 * element has one, attributes otherwise, and `onsala-comment-posted` (each `sala-*` event) as an event listener.
 * Use: `import type {} from '@sala/widgets/react';` once, in any .ts file of the app.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { SalaElementAttributes, SalaEventListeners } from '../dist/index.js';

type SalaJsxProps<Tag extends keyof SalaElementAttributes> = DetailedHTMLProps<
  HTMLAttributes<HTMLElementTagNameMap[Tag]>,
  HTMLElementTagNameMap[Tag]
> &
  SalaElementAttributes[Tag] &
  SalaEventListeners;

type SalaIntrinsicElements = { [Tag in keyof SalaElementAttributes]: SalaJsxProps<Tag> };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements extends SalaIntrinsicElements {}
  }
}
