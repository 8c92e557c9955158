/**
 * The words of the `[sala]` console hints on mistakes in a page's markup, and what a mistyped Sala tag or attribute
 * was meant to be. A chunk of its own, fetched only when a page has a `sala-*` tag that is no Sala element
 * (lazy-define.ts) or an element an attribute it does not know, a value it cannot use or a `lang` it has no strings for
 * (SalaElement.mistake()): a page without mistakes never downloads it.
 */
import { composedAncestors } from './dom.js';

/**
 * Names on an element that are not Sala's to judge: HTML's global attributes (sala-element.ts lets the common ones
 * through itself), event handlers, data-*, aria-*, and other libraries' directives (`:page-id`, `@click`, Alpine's
 * `x-show`, htmx's `hx-get`, Vue's `v-cloak`, Angular's `_ngcontent-…` and `ng-…`).
 */
const NOT_OURS =
  /^(accesskey|autocapitalize|autocorrect|autofocus|class|contenteditable|dir|draggable|enterkeyhint|exportparts|hidden|id|inert|inputmode|is|item(id|prop|ref|scope|type)|lang|nonce|part|popover|role|slot|spellcheck|style|tabindex|title|translate|virtualkeyboardpolicy|writingsuggestions|xmlns|(on|data-|aria-|x-|hx-|v-|ng-|_).*)$|[^\w-]/;

/** Edit distance, a swap of two neighbours counting as one edit (`pgae-id`). */
function distance(a: string, b: string): number {
  const rows = [...Array(a.length + 1)].map((_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known name `name` was most likely meant to be, or undefined when none is close. Best: the same letters with
 * other separators (`pageid`, `page_id`, `max_depth`); then a typo of a third of its letters at most (`coments`,
 * `popular-post`); then a known name it is one word of, or starts (`heading` for `heading-level`).
 */
function nearest(name: string, known: readonly string[]): string | undefined {
  const bare = (text: string) => text.replace(/[-_]/g, '');
  const typos = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    let score = bare(candidate) === bare(name) ? 0 : distance(name.replace(/_/g, '-'), candidate);
    if (score > typos)
      score = candidate.split('-').includes(name) || candidate.startsWith(`${name}-`) ? typos + 1 : Infinity;
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

/** Hints already printed, so a page listing twenty posts with the same mistake in each logs it once. */
const hinted = new Set<string>();

/**
 * One `[sala] <tag> …` console hint, as SalaElement.hint() prints them, with the `elements` it names, which a browser's
 * console shows as nodes to reveal in the page.
 */
function hint(tag: string, message: string, ...elements: Element[]): void {
  const text = `[sala] <${tag}> ${message}`;
  if (hinted.has(text)) return;
  hinted.add(text);
  console.warn(text, ...elements);
}

/** A mistake in an element's markup, as SalaElement.mistake() reports it: what it is, then what the words need. */
export type Mistake =
  | [kind: 'attributes', known: readonly string[]]
  | [kind: 'choice', attribute: string, value: string, allowed: readonly string[], fallback: string | undefined]
  | [kind: 'api', value: string, using: string | undefined]
  | [kind: 'page-id', value: string]
  | [kind: 'max-depth', using: number]
  | [kind: 'duplicate', shown: Element, pageId: string]
  | [kind: 'lang', languages: readonly string[]];

/** Tells the console of `mistake` in `element`'s markup, once. */
export function explain(element: Element, mistake: Mistake): void {
  const say = (message: string, ...elements: Element[]) => hint(element.localName, message, ...elements);
  switch (mistake[0]) {
    case 'attributes':
      return attributeHints(element, mistake[1], say);
    case 'choice': {
      const [, attribute, value, allowed, fallback] = mistake;
      return say(`${attribute}="${value}" is not one of ${allowed.join(', ')}; using ${fallback ?? 'the default'}.`);
    }
    case 'api':
      return say(`api="${mistake[1]}" is not an http(s) URL; using ${mistake[2] ?? 'nothing'} instead.`);
    case 'page-id':
      return say(`page-id="${mistake[1]}" is empty or too long; using the page's URL.`);
    case 'max-depth':
      return say(`max-depth must be a whole number from 1; using ${mistake[1]}.`);
    case 'lang': {
      // The nearest `lang`, as localeOf read it; once per language on the page, whichever elements read it.
      const holder = [...composedAncestors(element)].find((node) => node.getAttribute('lang'));
      // The page changed its language (an app's switch, a test) before this chunk came: nothing to say of the old one.
      if (!holder) return;
      const value = holder.getAttribute('lang')!;
      const language = `lang:${value.toLowerCase().split(/[-_]/)[0]}`;
      if (hinted.has(language)) return;
      hinted.add(language);
      return say(
        `has no strings for lang="${value}" (${where(holder)}); showing English. It speaks ` +
          `${['en', ...mistake[1]].join(', ')}; the strings property replaces any of its words.`,
        holder,
      );
    }
    case 'duplicate': {
      const [, shown, pageId] = mistake;
      return say(
        `is on this page twice for the thread of ${pageId}: ${where(shown)} shows it, ${where(element)} nothing. ` +
          'Remove one of them.',
        shown,
        element,
      );
    }
  }
}

/**
 * `element` as its page's source or template has it, for a hint to name: its start tag, then what holds it, e.g.
 * `<sala-comments id="comments"> in <div class="post-footer">`, or the component whose shadow root it is in.
 */
function where(element: Element): string {
  const start = (node: Element) => /^<[^>]*>/.exec(node.outerHTML)![0];
  const root = element.getRootNode();
  const holder = element.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
  if (!holder) return start(element);
  const within = holder === element.parentElement ? '' : 'the shadow root of ';
  return `${start(element)} in ${within}${start(holder)}`;
}

/** Each attribute of `element` that is not one of `known`, its own, and what it was likely meant to be. */
function attributeHints(element: Element, known: readonly string[], say: (message: string) => void): void {
  for (const name of element.getAttributeNames()) {
    // One of Sala's behind data- (`data-page-id`) is a mistake; the page's own data-* is not Sala's to judge.
    const bare = name.replace(/^data-/, '');
    if (known.includes(name) || name in HTMLElement.prototype || (NOT_OURS.test(name) && !known.includes(bare)))
      continue;
    const meant = name === bare ? nearest(name, known) : bare;
    say(`has no attribute "${name}"; ${meant ? `did you mean "${meant}"?` : `it takes ${known.join(', ')}.`}`);
  }
}

/**
 * Tells the console that `tag`, on the page, is not one of `tags`, and which one it was likely meant to be. A tag the
 * page defined itself by now (its own `<sala-menu>`) is left alone.
 */
export function unknownTag(tag: string, tags: readonly string[]): void {
  if (customElements.get(tag)) return;
  const meant = nearest(
    tag.slice(5),
    tags.map((known) => known.slice(5)),
  );
  hint(tag, `is not a Sala element; ${meant ? `did you mean <sala-${meant}>?` : `they are <${tags.join('>, <')}>.`}`);
}
