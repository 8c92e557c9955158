/**
 * Template types for Sala's elements in Vue 3 (vue-tsc, Volar): attributes, `strings`, and every event
 * (`@sala-comment-posted`, `@sala-comment-edited`, …) with its typed detail. Vue must also be told the tags are
 * custom elements (`compilerOptions.isCustomElement`).
 * Use: `import type {} from '@sala/widgets/vue';` once, in any .ts file of the app.
 */
import type { DefineComponent } from 'vue';
import type { SalaElementAttributes, SalaEventMap } from '../dist/index.js';

/** Vue names a listener prop `on` + the event's name in PascalCase: `@sala-error` is `onSalaError`. */
type SalaVueListeners = {
  [Name in keyof SalaEventMap as `on${Capitalize<CamelCase<Name>>}`]?: (event: SalaEventMap[Name]) => void;
};

/** Vue checks a template's `page-id` as the prop `pageId`. */
type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : Name;
type VueProps<Attributes> = { [Name in keyof Attributes as CamelCase<Name & string>]: Attributes[Name] };

type SalaGlobalComponents = {
  [Tag in keyof SalaElementAttributes]: DefineComponent<VueProps<SalaElementAttributes[Tag]> & SalaVueListeners>;
};

declare module 'vue' {
  interface GlobalComponents extends SalaGlobalComponents {}
}
