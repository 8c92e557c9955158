/**
 * Telling the owner: webhooks on new, held and approved comments, sent in the request's background work with two
 * quick retries, then retried by the cron until MAX_ATTEMPTS. Held comments carry one-click approve and reject
 * links. Every attempt's outcome is recorded for the admin page.
 */
import type { SiteSettings, WebhookDelivery, WebhookEvent, WebhookSettings } from '@sala/protocol';
import { toAdminComment } from '../domain/admin-comment.js';
import { LINK_SECONDS, newNonce, signActionLink, type LinkAction } from '../domain/action-links.js';
import { newCommentId } from '../domain/comment-id.js';
import type { StoredComment } from '../domain/stored-comment.js';
import {
  IMMEDIATE_RETRY_DELAYS,
  MAX_ATTEMPTS,
  signWebhook,
  webhookBody,
  type WebhookMessage,
} from '../domain/webhooks.js';
import { SiteSettingsStore } from '../storage/site-settings.js';
import { emailEnabled, emailOwnerAboutHeld, emailReplyToParentAuthor } from './email.js';
import { ownerMailLanguage, type OwnerMailLanguage } from './email-mail-strings.js';
import { OwnerLanguageStore } from '../storage/owner-language.js';
import { configuredSites, findSite, type Site } from '../storage/sites.js';
import { WebhookDeliveries, type PendingDelivery } from '../storage/webhook-deliveries.js';

/** What sending needs from the request: bindings, background work, and this Worker's origin for the links. */
export interface NotifyContext {
  env: Env;
  waitUntil(promise: Promise<unknown>): void;
  /** The Worker's own origin, e.g. https://comments.example.com: one-click links point there. */
  origin: string;
}

const ATTEMPT_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface AttemptOutcome {
  ok: boolean;
  httpStatus?: number;
  error?: string;
}

/** One POST of `body` to the webhook, signed now. 2xx is delivered; a redirect is not followed (nor delivered). */
export async function attemptDelivery(
  hook: WebhookSettings,
  body: string,
  deliveryId: string,
  event: WebhookEvent,
): Promise<AttemptOutcome> {
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Sala-Webhooks/1',
        'Sala-Event': event,
        'Sala-Delivery': deliveryId,
        'Sala-Signature': await signWebhook(hook.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok
      ? { ok: true, httpStatus: response.status }
      : { ok: false, httpStatus: response.status, error: `answered ${response.status}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A one-click link; `lang`, the owner's language when the settings know it, is the language its pages speak when the
 * browser opening it asks for none they have (routes/moderation-links.ts). Not signed: it picks words, nothing else.
 */
async function actionLink(
  context: NotifyContext,
  site: string,
  comment: StoredComment,
  action: LinkAction,
  lang: string | null,
): Promise<string> {
  const token = await signActionLink(context.env.SALA_SECRET, {
    site,
    pageId: comment.pageId,
    commentId: comment.id,
    action,
    expiresAt: Math.floor(Date.now() / 1000) + LINK_SECONDS,
    nonce: newNonce(),
  });
  return `${context.origin}/api/v1/moderation-links/${token}${lang === null ? '' : `?lang=${lang}`}`;
}

/** Sends one new delivery, retrying twice at once; hands it to the cron if those fail. Records the outcome. */
async function deliver(
  env: Env,
  site: string,
  hook: WebhookSettings,
  message: Omit<WebhookMessage, 'deliveryId'>,
): Promise<void> {
  const now = new Date();
  const id = newCommentId(now.getTime());
  const body = webhookBody(hook.format, { ...message, deliveryId: id });
  const delivery: WebhookDelivery = {
    id,
    webhookId: hook.id,
    event: message.event,
    commentId: message.comment.id,
    pageId: message.comment.pageId,
    status: 'retrying',
    attempts: 0,
    createdAt: now.toISOString(),
    lastAttemptAt: now.toISOString(),
  };
  for (const delay of [0, ...IMMEDIATE_RETRY_DELAYS.ms]) {
    if (delay > 0) await sleep(delay);
    const outcome = await attemptDelivery(hook, body, id, message.event);
    settle(delivery, outcome);
    if (outcome.ok) break;
  }
  const deliveries = new WebhookDeliveries(env.SALA);
  if (delivery.status === 'retrying') await deliveries.queueRetry({ site, delivery, body });
  await deliveries.record(site, delivery);
}

function settle(delivery: WebhookDelivery, outcome: AttemptOutcome): void {
  delivery.attempts += 1;
  delivery.lastAttemptAt = new Date().toISOString();
  delivery.status = outcome.ok ? 'delivered' : delivery.attempts >= MAX_ATTEMPTS ? 'failed' : 'retrying';
  if (outcome.httpStatus !== undefined) delivery.httpStatus = outcome.httpStatus;
  else delete delivery.httpStatus;
  if (outcome.error !== undefined) delivery.error = outcome.error;
  else delete delivery.error;
}

/**
 * The owner's language for a held comment's mail and links: the one chosen last of the site's `ownerLanguage` (set
 * through its settings' PUT, by the owner or a script) and the admin page's (told at sign-in and on a switch:
 * storage/owner-language.ts), each timed when it last changed; else whichever is known; else null (English). A site's
 * language saved before its change was timed (the page sent its own with every save) is older than the page's: it
 * was only the page's language at a save, and letting it win would keep an owner who switched on the old one. One
 * KV read per held comment that mails or has webhooks.
 */
async function ownerLanguageFor(env: Env, settings: SiteSettings): Promise<OwnerMailLanguage | null> {
  const told = await new OwnerLanguageStore(env.SALA).told();
  // NaN, never later, for a site's language saved before it was timed.
  const siteChangedAt = Date.parse(settings.ownerLanguageChangedAt ?? '');
  const siteLast = Boolean(settings.ownerLanguage) && (told === null || siteChangedAt > told.changedAt);
  return ownerMailLanguage(siteLast ? settings.ownerLanguage : told?.language);
}

async function sendAll(context: NotifyContext, site: Site, event: WebhookEvent, comment: StoredComment): Promise<void> {
  const settings = await new SiteSettingsStore(context.env.SALA).get(site);
  const hooks = settings.webhooks.filter((hook) => hook.events.includes(event));
  const mailOwner = event === 'comment.held' && Boolean(settings.notifyEmail) && emailEnabled(context.env);
  const message: Omit<WebhookMessage, 'deliveryId'> = {
    event,
    site: site.id,
    comment: toAdminComment(comment),
    sentAt: new Date().toISOString(),
  };
  let lang: OwnerMailLanguage | null = null;
  if (event === 'comment.held' && (hooks.length > 0 || mailOwner)) {
    lang = await ownerLanguageFor(context.env, settings);
    message.links = {
      approve: await actionLink(context, site.id, comment, 'approve', lang),
      reject: await actionLink(context, site.id, comment, 'reject', lang),
    };
  }
  await Promise.all([
    ...hooks.map((hook) => deliver(context.env, site.id, hook, message)),
    mailOwner && message.links ? emailOwnerAboutHeld(context, site, settings, comment, message.links, lang) : null,
    // A comment readers can now see may be a reply someone asked to hear about.
    event !== 'comment.held' ? emailReplyToParentAuthor(context, site, comment) : null,
  ]);
}

/**
 * Sends `event` about `comment` to the site's webhooks that want it, mails the owner about a held comment and the
 * parent's author about a reply now shown (when email is on), after the response. Never throws.
 */
export function notifyComment(context: NotifyContext, site: Site, event: WebhookEvent, comment: StoredComment): void {
  context.waitUntil(
    sendAll(context, site, event, comment).catch((error: unknown) => {
      console.error('[sala] webhook notification failed', event, comment.id, error);
    }),
  );
}

export interface RetryReport {
  retried: number;
  delivered: number;
  failed: number;
}

/**
 * The cron's part: one more attempt for each delivery waiting (at most 20 a run), on the :00 and :30 runs
 * (domain/cron-schedule.ts), so the list() of waiting deliveries costs 48 of the 1,000 free lists a day, not 144.
 */
export async function retryDeliveries(env: Env): Promise<RetryReport> {
  const deliveries = new WebhookDeliveries(env.SALA);
  const report: RetryReport = { retried: 0, delivered: 0, failed: 0 };
  // Sites without webhooks (most) cost no list() at all; their settings are cached reads.
  const settings = new SiteSettingsStore(env.SALA);
  const sites = configuredSites(env);
  if (!(await Promise.all(sites.map((site) => settings.get(site)))).some((entry) => entry.webhooks.length > 0)) {
    return report;
  }
  for (const pending of await deliveries.pendingRetries()) {
    await retryOne(env, deliveries, pending, report);
  }
  return report;
}

async function retryOne(
  env: Env,
  deliveries: WebhookDeliveries,
  pending: PendingDelivery,
  report: RetryReport,
): Promise<void> {
  const { site: siteId, delivery, body } = pending;
  const site = findSite(env, siteId);
  const hook = site
    ? (await new SiteSettingsStore(env.SALA).read(site)).webhooks.find((entry) => entry.id === delivery.webhookId)
    : undefined;
  if (hook === undefined) {
    // The webhook (or site) was removed since: nothing left to deliver to.
    settle(delivery, { ok: false, error: 'the webhook was removed' });
    delivery.status = 'failed';
  } else {
    report.retried += 1;
    settle(delivery, await attemptDelivery(hook, body, delivery.id, delivery.event));
  }
  if (delivery.status === 'retrying') await deliveries.queueRetry({ site: siteId, delivery, body });
  else await deliveries.clearRetry(siteId, delivery.id);
  if (delivery.status === 'delivered') report.delivered += 1;
  if (delivery.status === 'failed') report.failed += 1;
  await deliveries.record(siteId, delivery);
}
