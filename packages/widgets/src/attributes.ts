/**
 * What each element takes in markup, by tag: the attributes (kebab-case, as in HTML) and the properties only code
 * can set. The framework typings (`@sala/widgets/react`, `/vue`, `/svelte`) are built from these, so JSX and
 * templates are checked against the same list the elements read.
 */
import type { PopularBy, PopularRange, ThreadSort } from '@sala/protocol';
import type { SalaEventMap } from './events.js';
import type { Strings } from './internal/i18n/en.js';
import type { Theme } from './internal/theme.js';

/** Boolean attributes are on when present; frameworks pass `true`, or leave them out. */
type Flag = boolean | '';

/** What every Sala element takes. */
export interface SalaCommonAttributes {
  /** Origin of the Sala Worker. */
  api?: string;
  /** Site id, for a Worker serving several sites. */
  site?: string;
  /**
   * `en`, `ar`, `de`, `es`, `fr`, `id`, `ja`, `km`, `pt` or `vi`, with a region for dates and numbers (`pt-BR` speaks
   * `pt` with Brazil's formats); defaults to the nearest `lang` above. Arabic lays the element out right to left.
   */
  lang?: string;
  /** Do not count this page's view for popular posts. */
  'no-track'?: Flag;
  /** `light` or `dark`; by default follows the host page. */
  theme?: Theme;
  /** Replaces any text (a property: frameworks that set properties on custom elements pass it as is). */
  strings?: Partial<Strings>;
}

export interface SalaCommentsAttributes extends SalaCommonAttributes {
  'page-id'?: string;
  sort?: ThreadSort;
  'max-depth'?: number | `${number}`;
  /** The heading's level for screen readers (default 2): `4` below a theme's `h3` post titles. */
  'heading-level'?: number | `${number}`;
  labels?: string;
}

export interface SalaPopularPostsAttributes extends SalaCommonAttributes {
  range?: PopularRange;
  by?: PopularBy;
  limit?: number | `${number}`;
  label?: string;
  'no-thumbnails'?: Flag;
  'no-snippets'?: Flag;
  'include-current'?: Flag;
  'page-id'?: string;
  labels?: string;
}

export interface SalaCommentCountAttributes extends SalaCommonAttributes {
  href?: string;
  'page-id'?: string;
}

export interface SalaRecentCommentsAttributes extends SalaCommonAttributes {
  limit?: number | `${number}`;
}

/** Every public Sala element's attributes, by tag. */
export interface SalaElementAttributes {
  'sala-comments': SalaCommentsAttributes;
  'sala-popular-posts': SalaPopularPostsAttributes;
  'sala-comment-count': SalaCommentCountAttributes;
  'sala-recent-comments': SalaRecentCommentsAttributes;
}

/** Listeners by event name, for frameworks whose event props are `on` + the event's name (React 19, Svelte 5). */
export type SalaEventListeners = {
  [Name in keyof SalaEventMap as `on${Name}`]?: (event: SalaEventMap[Name]) => void;
};
