/**
 * What posting a comment takes beyond showing the form: the checks that mirror the Worker's LIMITS, the POST body,
 * the commenter key, the Turnstile check the API may ask for, and the messages only posting meets. One chunk, fetched
 * once the reader starts on the form (composer.ts), so a reader who only reads never downloads it.
 */
import {
  LIMITS,
  MIN_ELAPSED_MS,
  safeHref,
  type CreateCommentRequest,
  type CreateCommentResponse,
  type EditCommentRequest,
  type EditCommentResponse,
  type PublicComment,
  type RebuildPending,
} from '@sala/protocol';
import { errorEvent } from '../events.js';
import { toApiError, type ApiClient } from '../internal/api-client.js';
import type { Translator } from '../internal/i18n/locale.js';
import type { PageIdentity } from '../internal/page-identity.js';
import type { ComposerResult } from './composer.js';
import { COMMENTER_KEY, recall, remember, unsent, type Draft, type DraftField } from './draft.js';
import { loadTurnstile } from './turnstile.js';

/** Width of Turnstile's normal widget, in CSS pixels; its compact one is 150px. */
const TURNSTILE_NORMAL_WIDTH = 300;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A website as the API wants it: '' when empty, a full http(s) URL, or null when it cannot be one. */
export function normalizeWebsite(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return '';
  // People type "example.com"; the API takes only absolute http(s) URLs.
  const candidate = /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const href = safeHref(candidate);
  return href && /^https?:/.test(href) && href.length <= LIMITS.website ? href : null;
}

/** Fields of `draft` the Worker would refuse, in form order. */
export function invalidFields(draft: Draft, fields: readonly DraftField[]): DraftField[] {
  const valid: Record<DraftField, (value: string) => boolean> = {
    name: (value) => value.trim() !== '' && value.trim().length <= LIMITS.name,
    email: (value) => value.trim() === '' || (value.trim().length <= LIMITS.email && EMAIL.test(value.trim())),
    website: (value) => normalizeWebsite(value) !== null,
    body: (value) => value.trim() !== '' && value.length <= LIMITS.body,
  };
  return fields.filter((field) => !valid[field](draft[field]));
}

export function saveCommenter({ name, email, website, notifyReplies }: Draft): void {
  remember(COMMENTER_KEY, {
    name: name.trim(),
    email: email.trim(),
    website: website.trim(),
    notifyReplies: notifyReplies === true,
  });
}

/** This browser's commenter keys (beside the name and the edit tokens), one per Sala server: `sala:key:{api origin}`. */
const COMMENTER_KEY_PREFIX = 'sala:key:';

/**
 * The secret this browser sends with every comment to the Sala server at `apiOrigin`, made on first use: once the
 * owner approves a comment sent with it, comments sent with it skip the first-time and link holds. Typing a known
 * commenter's name in another browser does not. Without storage it lasts as long as the page.
 */
export function commenterKey(apiOrigin: string): string {
  const storageKey = COMMENTER_KEY_PREFIX + apiOrigin;
  const stored = recall(storageKey);
  if (typeof stored === 'string' && /^[A-Za-z0-9_-]{22,64}$/.test(stored)) return stored;
  const key = newCommenterKey();
  remember(storageKey, key);
  return key;
}

/** 128 random bits, base64url: 22 characters. */
function newCommenterKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Signals the API weighs against spam: the honeypot, how long the form was open, a passed Turnstile check, and
 * the key that shows this browser is a commenter the owner approved before.
 */
export interface Proof {
  hp: string;
  elapsedMs: number;
  captchaToken?: string | undefined;
  commenterKey?: string | undefined;
}

/**
 * The POST body for a draft: trimmed, with empty optional fields left out. `replyMails`: the form offered reply mails
 * (the thread said they are on), so the reader's choice is sent, true only with an email to mail. `lang`: the locale
 * the form speaks (Translator.lang), which the mails the comment asks for speak too.
 */
export function createRequest(
  draft: Draft,
  page: PageIdentity,
  parentId: string | null,
  proof: Proof,
  replyMails = false,
  lang?: string,
): CreateCommentRequest {
  const email = draft.email.trim();
  const website = normalizeWebsite(draft.website);
  return {
    page: page.pageId,
    ...(page.pageUrl ? { pageUrl: page.pageUrl } : {}),
    ...(parentId ? { parentId } : {}),
    // Bidi embeddings, overrides and isolates, which the API refuses in a name: invisible, so the reader could not
    // find what to fix (a name copied from a chat app comes wrapped in isolates). The set of @sala/protocol's
    // text-direction.ts, written out: importing it from there put 9 bytes on every first visit with a thread.
    name: draft.name.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').trim(),
    ...(email ? { email } : {}),
    ...(website ? { website } : {}),
    body: draft.body,
    ...(proof.hp ? { hp: proof.hp } : {}),
    elapsedMs: proof.elapsedMs,
    ...(proof.captchaToken ? { captchaToken: proof.captchaToken } : {}),
    ...(proof.commenterKey ? { commenterKey: proof.commenterKey } : {}),
    ...(replyMails ? { notifyReplies: draft.notifyReplies === true && email !== '' } : {}),
    ...(lang ? { lang } : {}),
  };
}

/** What posting reads from its form (<sala-comment-composer>) and shows on it. */
export interface PostingForm extends HTMLElement {
  readonly api: ApiClient;
  readonly pageId: string;
  readonly pageUrl: string | null;
  readonly parent: PublicComment | null;
  readonly editing: PublicComment | null;
  readonly token: string;
  readonly saved: (result: ComposerResult) => unknown;
  readonly openedAt: number;
  readonly translator: Translator;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  draft: Draft;
  errors: Partial<Record<DraftField, string>>;
  formError: string;
  previewing: boolean;
  sending: boolean;
  checking: boolean;
}

/** The fields `form` has, in order: an edit has only the text. */
function fieldsOf(form: PostingForm): DraftField[] {
  return form.editing ? ['body'] : ['body', 'name', 'email', 'website'];
}

/** Focus on a field to fix, with its text on screen rather than hidden behind the preview. */
async function focusField(form: PostingForm, field: DraftField): Promise<void> {
  form.previewing = false;
  await form.updateComplete;
  form.renderRoot.querySelector<HTMLElement>(`#${field}`)?.focus();
}

/** Checks and sends one form's comment, and runs the Turnstile check when the API asks for one. */
export class Posting {
  readonly #form: PostingForm;
  /** Whether the form offers reply mails as it sends (composer-open.ts `offersReplyMails`). */
  readonly #replyMails: () => boolean;
  #check: { widget: string; token?: string } | undefined;

  constructor(form: PostingForm, replyMails: () => boolean = () => false) {
    this.#form = form;
    this.#replyMails = replyMails;
  }

  /** Posts the draft, or marks the fields to fix and focuses the first. */
  async submit(): Promise<void> {
    const form = this.#form;
    const invalid = invalidFields(form.draft, fieldsOf(form));
    form.formError = '';
    form.errors = Object.fromEntries(invalid.map((field) => [field, this.#invalid(field)]));
    if (invalid[0]) {
      form.sending = false;
      return focusField(form, invalid[0]);
    }
    await this.#send();
  }

  async #send(): Promise<void> {
    const form = this.#form;
    form.sending = true;
    // What the form is sending for: the page, and the thread's answer (`saved`) as it was, should the element move
    // to another page while this is on its way.
    const { api, draft, editing, pageId, pageUrl, saved } = form;
    const hp = form.renderRoot.querySelector<HTMLInputElement>('[name="homepage"]')?.value ?? '';
    // A new comment sent sooner than a person types (a pasted text) would be refused: it waits out the rest as
    // "Sending…" here, rather than spend on a refusal one of the 5 requests a minute its address may send.
    const wait = MIN_ELAPSED_MS + 100 - (performance.now() - form.openedAt);
    if (!editing && !hp && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const proof = {
      hp,
      elapsedMs: Math.round(performance.now() - form.openedAt),
      captchaToken: this.#check?.token,
      commenterKey: editing ? undefined : commenterKey(api.origin),
    };
    try {
      const sent = Date.now();
      const result: ComposerResult = editing
        ? { edited: (await editComment(api, editing.id, form.token, { page: pageId, body: draft.body })).comment, sent }
        : {
            created: await createComment(
              api,
              createRequest(
                draft,
                { pageId, pageUrl },
                form.parent?.id ?? null,
                proof,
                this.#replyMails(),
                form.translator.lang,
              ),
            ),
          };
      if (!editing) saveCommenter(draft);
      // Sent: the text goes, from the form, or from what is kept for its page if the thread moved on meanwhile.
      if (form.pageId === pageId) form.draft = { ...draft, body: '' };
      else unsent.delete(pageId);
      form.previewing = false;
      this.removeCheck(); // passed; the next comment starts afresh
      await saved(result);
    } catch (caught) {
      const error = toApiError(caught);
      // Refused, with no field named, for being sent sooner than a person types (MIN_ELAPSED_MS after the page's
      // first form showed; the only other such refusal is the honeypot's): a reader that quick (a pasted text)
      // waits out the rest as "Sending…", and it goes again.
      const early = MIN_ELAPSED_MS + 100 - proof.elapsedMs;
      if (error.code === 'comment_rejected' && !error.field && !proof.hp && early > 100) {
        await new Promise((resolve) => setTimeout(resolve, early));
        return await this.#send();
      }
      form.dispatchEvent(errorEvent(error));
      const field = fieldsOf(form).find((candidate) => candidate === error.field);
      if (field) {
        form.errors = {
          [field]:
            error.code === 'invalid_field'
              ? this.#invalid(field)
              : // Its links (more than the site allows) or a word the owner blocked: say which the reader can fix.
                error.code === 'comment_rejected' && field === 'body'
                ? form.translator.t('rejected.body')
                : form.translator.error(error),
        };
        await focusField(form, field);
      } else {
        form.formError = form.translator.error(error);
      }
      if (error.code === 'captcha_required' && error.siteKey) await this.#showCheck(error.siteKey);
      else if (this.#check) window.turnstile?.reset(this.#check.widget);
    } finally {
      form.sending = false;
      if (this.#check) this.#check.token = undefined; // a token is good for one try
    }
  }

  /** Shows the Turnstile check the API asked for, and sends the comment again once it passes. */
  async #showCheck(siteKey: string): Promise<void> {
    const form = this.#form;
    form.checking = true;
    if (this.#check) {
      // Asked again (the last token was spent): the solved widget must run again to fire its callback.
      window.turnstile?.reset(this.#check.widget);
      return;
    }
    await form.updateComplete;
    try {
      const turnstile = await loadTurnstile();
      const container = form.renderRoot.querySelector<HTMLElement>('.check');
      if (!container || this.#check) return;
      const widget = turnstile.render(container, {
        sitekey: siteKey,
        // Turnstile knows few regions (not en-GB): the strings' language is one it knows, as the thread speaks it.
        language: form.translator.lang.split('-')[0],
        // The normal widget is a fixed 300px: a reply form on a phone gets the 150px one rather than overflow.
        size: container.clientWidth < TURNSTILE_NORMAL_WIDTH ? 'compact' : 'normal',
        callback: (token) => {
          this.#check = { widget, token };
          void this.#send();
        },
      });
      this.#check = { widget };
    } catch {
      form.formError = form.translator.error('network');
    }
  }

  /** Takes the Turnstile check away: it passed, or its form is gone. */
  removeCheck(): void {
    if (this.#check) window.turnstile?.remove(this.#check.widget);
    this.#check = undefined;
    this.#form.checking = false;
  }

  #invalid(field: DraftField): string {
    const { translator, draft } = this.#form;
    // An empty text is not one over the limit: say what is missing.
    if (field === 'body' && draft.body.trim() === '') return translator.t('missing.body');
    return translator.t(`invalid.${field}`, { max: LIMITS[field].toLocaleString(translator.lang) });
  }
}

/**
 * Asks for the rebuild of the page's thread a change left to this browser (`rebuild: { token }`: the Worker had no
 * room for it beside the change), so that other readers get the change now rather than from the cron's repair.
 * Nothing waits for it, and a failure leaves the page to that repair; it outlives the page (`keepalive`), so a reader
 * who posts and closes the tab at once still has the change shown to others now.
 */
function followUp(api: ApiClient, page: string, { rebuild }: { rebuild?: RebuildPending }): void {
  const token = rebuild?.token;
  if (typeof token === 'string')
    api.request('POST', '/comments/rebuild', { query: { page, token }, keepalive: true }).catch(() => undefined);
}

/** Posts a new comment or reply. */
async function createComment(api: ApiClient, body: CreateCommentRequest): Promise<CreateCommentResponse> {
  const answer = await api.request<CreateCommentResponse>('POST', '/comments', { body });
  followUp(api, body.page, answer);
  return answer;
}

/** Saves a new text for one of the reader's comments, allowed by its edit token. */
async function editComment(
  api: ApiClient,
  id: string,
  token: string,
  body: EditCommentRequest,
): Promise<EditCommentResponse> {
  const answer = await api.request<EditCommentResponse>('PATCH', `/comments/${encodeURIComponent(id)}`, {
    body,
    token,
  });
  followUp(api, body.page, answer);
  return answer;
}
