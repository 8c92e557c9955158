/** Picks an element's language, loads its strings (lazily beyond English), and formats counts and times. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { composedAncestors } from '../dom.js';
import { en, type StringKey, type Strings } from './en.js';

/** Languages beyond English, each fetched as its own chunk the first time a page asks for it. */
const PACKS: Record<string, () => Promise<Strings>> = {
  km: () => import('./km.js').then((module) => module.km),
};
const loaded = new Map<string, Strings>([['en', en]]);
const loading = new Map<string, Promise<void>>();

function loadStrings(lang: string): Promise<void> {
  let promise = loading.get(lang);
  if (!promise) {
    promise = (PACKS[lang]?.() ?? Promise.resolve(en)).then(
      (strings) => void loaded.set(lang, strings),
      (error: unknown) => {
        console.warn(`[sala] could not load the "${lang}" strings; showing English.`, error);
        loaded.set(lang, en);
      },
    );
    loading.set(lang, promise);
  }
  return promise;
}

/** The language an element speaks: its own `lang`, else the nearest ancestor's, else the page's; English if unsupported. */
export function languageOf(element: Element): string {
  let tag = '';
  for (const node of composedAncestors(element)) {
    tag = node.getAttribute('lang') ?? '';
    if (tag) break;
  }
  const base = (tag || element.ownerDocument.documentElement.lang).toLowerCase().split('-')[0] ?? '';
  return base in PACKS ? base : 'en';
}

const TIME_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** Strings of one language with the page's overrides applied, and the Intl formatters that go with them. */
export class Translator {
  readonly #plural: Intl.PluralRules;
  readonly #number: Intl.NumberFormat;
  readonly #relative: Intl.RelativeTimeFormat;
  readonly #date: Intl.DateTimeFormat;

  constructor(
    readonly lang: string,
    readonly strings: Strings,
  ) {
    this.#plural = new Intl.PluralRules(lang);
    this.#number = new Intl.NumberFormat(lang);
    this.#relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    this.#date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
  }

  /** The string for `key`, with `{name}` placeholders filled from `values`. */
  t(key: StringKey, values: Record<string, string | number> = {}): string {
    return this.strings[key].replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match));
  }

  /** "5 comments", pluralised the way the language does it. */
  count(count: number): string {
    const key = this.#plural.select(count) === 'one' ? 'countOne' : 'countOther';
    return this.t(key, { count: this.#number.format(count) });
  }

  /** The message for an error code; codes newer than this widget get a generic one. */
  error(code: string): string {
    const key = `error.${code}`;
    return key in this.strings ? this.t(key as StringKey) : this.t('error.bad_response');
  }

  /** "3 minutes ago", or '' for a date that does not parse. */
  relativeTime(iso: string, now = Date.now()): string {
    const time = Date.parse(iso);
    if (Number.isNaN(time)) return '';
    const seconds = (time - now) / 1000;
    for (const [unit, size] of TIME_UNITS) {
      if (Math.abs(seconds) >= size) return this.#relative.format(Math.trunc(seconds / size), unit);
    }
    return this.#relative.format(0, 'second');
  }

  /** The full date and time, for a tooltip. */
  fullDate(iso: string): string {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? '' : this.#date.format(time);
  }
}

export interface LocaleHost extends ReactiveControllerHost, HTMLElement {
  /** Strings the page overrides; merged over the language pack. */
  strings?: Partial<Strings> | undefined;
}

/** Keeps a host's Translator in step with its language and overrides; undefined while a pack loads. */
export class LocaleController implements ReactiveController {
  translator: Translator | undefined;
  #overrides: Partial<Strings> | undefined;

  constructor(private readonly host: LocaleHost) {
    host.addController(this);
  }

  hostUpdate(): void {
    const lang = languageOf(this.host);
    const pack = loaded.get(lang);
    if (!pack) {
      // Until the pack arrives, keep the current language rather than flash another.
      void loadStrings(lang).then(() => this.host.requestUpdate());
      return;
    }
    const overrides = this.host.strings;
    if (this.translator?.lang === lang && this.#overrides === overrides) return;
    this.#overrides = overrides;
    this.translator = new Translator(lang, { ...pack, ...onlyStrings(overrides) });
  }
}

/** Overrides come from page scripts; ignore anything that is not a string rather than render it. */
function onlyStrings(overrides: Partial<Strings> | undefined): Partial<Strings> {
  if (typeof overrides !== 'object' || overrides === null) return {};
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => typeof value === 'string'));
}
