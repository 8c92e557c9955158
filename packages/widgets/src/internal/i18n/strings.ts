/** The keys every language pack fills, and what a page may override through the `strings` property. */
import type { SalaErrorCode } from '../../events.js';
import type { en } from './en.js';
import type { enForm } from './en-form.js';

export type StringKey = keyof typeof en | keyof typeof enForm;

/** A complete language pack. */
export type Strings = Record<StringKey, string>;

/** Compiles only while every error code has a message, so a code added to the protocol cannot go untranslated. */
export type EveryErrorHasAMessage = Assert<`error.${SalaErrorCode}` extends StringKey ? true : false>;
type Assert<T extends true> = T;
