/** Picks an element's language, loads its strings (lazily beyond English), and formats counts and times. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Mistake } from '../diagnostics.js';
import { composedAncestors } from '../dom.js';
import { en, type Strings } from './en.js';

/** A string table: key -> text with `{name}` placeholders. */
export type StringPack = Record<string, string>;

/**
 * One family of strings (the thread's, the admin page's): English bundled, every other language of `languages` fetched
 * with `fetchPack` (a chunk whose default export is the pack) the first time a page asks for it. The bundled English
 * may leave out strings that one element's chunk brings with it (the comment form's, see Translator.withDefaults).
 */
export class StringPacks<Pack extends StringPack> {
  readonly #loaded: Map<string, Partial<Pack>>;
  readonly #loading = new Map<string, Promise<void>>();

  constructor(
    readonly english: Partial<Pack>,
    readonly languages: readonly string[],
    readonly fetchPack: (lang: string) => Promise<{ default: Pack }>,
  ) {
    this.#loaded = new Map([['en', english]]);
  }

  /** The pack, or undefined until `load(lang)` has finished. */
  get(lang: string): Partial<Pack> | undefined {
    return this.#loaded.get(lang);
  }

  load(lang: string): Promise<void> {
    let promise = this.#loading.get(lang);
    if (!promise) {
      promise = this.fetchPack(lang).then(
        (module) => void this.#loaded.set(lang, module.default),
        (error: unknown) => {
          console.warn(`[sala] could not load the "${lang}" strings; showing English.`, error);
          this.#loaded.set(lang, this.english);
        },
      );
      this.#loading.set(lang, promise);
    }
    return promise;
  }
}

/**
 * The thread's strings, in these languages beside English. A first visit carries their names alone: where each pack
 * is comes in a chunk of its own (packs.ts, 0.26 KB) before the first pack a page asks for, so a new language costs an
 * English reader two letters, not the address of its chunk, and a page in another language one more small request.
 */
export const threadPacks = new StringPacks<Strings>(
  en,
  ['ar', 'de', 'es', 'fr', 'id', 'ja', 'km', 'pt', 'vi'],
  (lang) => import('./packs.js').then((module) => module.default[lang]!()),
);

/**
 * The locale an element is read in: its own `lang`, else the nearest ancestor's up to the page's <html>, as a
 * canonical tag (`en-GB`, `pt-BR`, `es-419`; WordPress's `en_GB` and any case too). Its language, the first subtag,
 * picks the strings and must be English or one of `languages`; the whole tag picks how dates and numbers read, so a
 * British blog gets "5 December 2026" in English words. A language without strings is plain English (`sw-KE`, `x`),
 * a tag Intl rejects (`pt-PT-ao90`, as WordPress writes one) keeps its language alone, a retired code is read as its
 * successor (`in`: `id`), and a region the browser lacks formats as its language does. A Sala element reading a `lang`
 * whose language has no strings says so in the console (LocaleHost.mistake): the developer who wrote `lang="xx"` sees
 * English, and why.
 */
export function localeOf(element: Element, languages: readonly string[]): string {
  let tag = '';
  for (const node of composedAncestors(element)) {
    tag = node.getAttribute('lang') ?? '';
    if (tag) break;
  }
  tag = tag.replace('_', '-').toLowerCase();
  try {
    // Canonical before its language is read, so a retired code reads as the language it names: Java's `in`, which
    // an old theme or CMS may still write for Indonesian, is `id`.
    tag = Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    tag = tag.split('-')[0]!;
  }
  const lang = tag.split('-')[0]!;
  if (lang === 'en' || languages.includes(lang)) return tag;
  if (tag) (element as Partial<LocaleHost>).mistake?.('lang', languages);
  return 'en';
}

const DAY_MS = 86_400_000;

const TIME_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * Strings of one language with the page's overrides applied, and the Intl formatters of its locale (localeOf).
 * `Pack` is the string table: the thread's by default; the admin page brings its own.
 */
export class Translator<Pack extends StringPack = Strings> {
  readonly #plural: Intl.PluralRules;
  readonly #number: Intl.NumberFormat;
  readonly #relative: Intl.RelativeTimeFormat;
  readonly #date: Intl.DateTimeFormat;
  /** The direction the language is written in, for the element's root: Arabic right to left, the others left to right. */
  readonly dir: 'ltr' | 'rtl';

  constructor(
    /**
     * The locale (localeOf), for every Intl formatter and the `lang` the element renders: `en-GB` for English strings
     * with British dates. Its first subtag is the strings' language.
     */
    readonly lang: string,
    readonly strings: Partial<Pack>,
  ) {
    this.#plural = new Intl.PluralRules(lang);
    this.#number = new Intl.NumberFormat(lang);
    this.#relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    this.#date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
    this.dir = /^ar\b/.test(lang) ? 'rtl' : 'ltr';
  }

  /** This translator with `defaults` beneath its strings: English one element's chunk brought (the form's, en-form.ts). */
  withDefaults(defaults: Partial<Pack>): Translator<Pack> {
    return new Translator(this.lang, { ...defaults, ...this.strings });
  }

  /** The string for `key`, with `{name}` placeholders filled from `values`. */
  t(key: keyof Pack & string, values: Record<string, string | number> = {}): string {
    return this.#fill(this.strings[key] ?? key, values);
  }

  /**
   * `text` with its `{name}` placeholders filled; unknown names stay as they are. A number the words themselves hold is
   * written `{#7}` in a language whose locales differ in digits (Arabic: Western in ar, Arabic-Indic in ar-EG): each
   * digit comes out in the locale's own, as the numbers formatted beside it do, where a typed 7 would stay Western.
   */
  #fill(text: string, values: Record<string, string | number>): string {
    return text
      .replace(/\{#(\d+)\}/g, (_, digits: string) => digits.replace(/\d/g, (digit) => this.#number.format(+digit)))
      .replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match));
  }

  /**
   * `one` or `other`, as the language's plural rules pick for `count`, with `{count}` formatted; a form the rules have
   * beyond those two (Arabic's zero, two, few, many) where the pack has it: `count.few` for `countOther` (PluralKey).
   */
  plural(
    count: number,
    one: keyof Pack & string,
    other: keyof Pack & string,
    values: Record<string, string | number> = {},
  ): string {
    const form = this.#plural.select(count);
    const key = form === 'one' ? one : other.replace('Other', `.${form}`);
    return this.t((key in this.strings ? key : other) as typeof other, {
      ...values,
      count: this.#number.format(count),
    });
  }

  /** "5 comments", pluralised the way the language does it. */
  count(this: Translator, count: number): string {
    return this.plural(count, 'countOne', 'countOther');
  }

  /**
   * The message for an error (`error.<code>` in the pack); codes newer than this widget get a generic one. Given
   * the error itself, `{time}` is when the server takes writes again, on the reader's clock.
   */
  error(failure: string | { code: string; resumesAt?: string | undefined }): string {
    const { code, resumesAt } = typeof failure === 'string' ? { code: failure } : failure;
    const strings: Record<string, string | undefined> = this.strings;
    // The free plan's limits reset at the next 00:00 UTC, should a server not say so itself.
    const resumes = Date.parse(resumesAt ?? '') || Math.ceil((Date.now() + 1) / DAY_MS) * DAY_MS;
    // Made here rather than with each translator: few readers ever see an error.
    return this.#fill(strings[`error.${code}`] ?? strings['error.bad_response'] ?? code, {
      time: new Intl.DateTimeFormat(this.lang, { hour: '2-digit', minute: '2-digit' }).format(resumes),
    });
  }

  /**
   * "3 minutes ago", or '' for a date that does not parse. A time ahead of `now` (the server's clock ahead of the
   * browser's) is "now", never "in 1 minute".
   */
  relativeTime(iso: string, now = Date.now()): string {
    const time = Date.parse(iso);
    if (Number.isNaN(time)) return '';
    const seconds = (time - now) / 1000;
    for (const [unit, size] of TIME_UNITS) {
      if (seconds <= -size) return this.#relative.format(Math.trunc(seconds / size), unit);
    }
    return this.#relative.format(0, 'second');
  }

  /** The full date and time, for a tooltip. */
  fullDate(iso: string): string {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? '' : this.#date.format(time);
  }
}

export interface LocaleHost<Pack extends StringPack = Strings> extends ReactiveControllerHost, HTMLElement {
  /** Strings the page overrides; merged over the language pack. */
  strings?: Partial<Pack> | undefined;
  /** Tells the console of a mistake in the markup (SalaElement): here a `lang` without strings, read as English. */
  mistake?(...mistake: Mistake): void;
}

/** Keeps a host's Translator in step with its language and overrides; undefined while a pack loads. */
export class LocaleController<Pack extends StringPack = Strings> implements ReactiveController {
  translator: Translator<Pack> | undefined;
  #overrides: Partial<Pack> | undefined;

  constructor(
    private readonly host: LocaleHost<Pack>,
    private readonly packs: StringPacks<Pack>,
    /** English the host's own chunk brings beyond the shared pack (the lists', en-lists.ts); other packs have it all. */
    private readonly english: Partial<Pack> = {},
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const locale = localeOf(this.host, this.packs.languages);
    const lang = locale.split('-')[0]!;
    const pack = this.packs.get(lang);
    if (!pack) {
      // Until the pack arrives, keep the current language rather than flash another.
      void this.packs.load(lang).then(() => this.host.requestUpdate());
      return;
    }
    const overrides = this.host.strings;
    if (this.translator?.lang === locale && this.#overrides === overrides) return;
    this.#overrides = overrides;
    this.translator = new Translator<Pack>(locale, { ...this.english, ...pack, ...onlyStrings(overrides) });
  }
}

/**
 * Overrides come from page scripts; ignore anything that is not a string rather than render it. A number or `true`
 * has no entries, and a string only its characters under digit keys, which no string of a pack has.
 */
function onlyStrings(overrides: Partial<StringPack> | undefined): StringPack {
  return Object.fromEntries(
    Object.entries(overrides ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
