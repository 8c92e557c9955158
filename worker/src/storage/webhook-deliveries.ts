/**
 * Webhook delivery records (the admin page's "last deliveries", kept 7 days) and the deliveries the cron must
 * retry. Each delivery has keys of its own, written by whoever is attempting it, so nothing is shared.
 */
import type { WebhookDelivery } from '@sala/protocol';
import { cutToBytes } from '../domain/admin-comment.js';
import { deliveryKey, deliveryPrefix, REDELIVER_PREFIX, redeliverKey } from './keys.js';

const RECORD_SECONDS = 7 * 24 * 60 * 60;
const RETRY_SECONDS = 2 * 24 * 60 * 60;

/** What a retry needs: the exact body (re-signed with a fresh timestamp when sent) and where it goes. */
export interface PendingDelivery {
  site: string;
  delivery: WebhookDelivery;
  body: string;
}

export class WebhookDeliveries {
  constructor(private readonly kv: KVNamespace) {}

  async record(site: string, delivery: WebhookDelivery): Promise<void> {
    // The page id and error text are the unbounded fields; metadata must stay under 1,024 bytes as KV counts it.
    const stored: WebhookDelivery = { ...delivery, pageId: cutToBytes(delivery.pageId, 300) };
    if (delivery.error !== undefined) stored.error = cutToBytes(delivery.error, 200);
    await this.kv.put(deliveryKey(site, Date.parse(delivery.createdAt), delivery.id), JSON.stringify(stored), {
      metadata: stored,
      expirationTtl: RECORD_SECONDS,
    });
  }

  /** The latest deliveries, newest first, from list() metadata alone. */
  async latest(site: string, limit = 100): Promise<WebhookDelivery[]> {
    const listed = await this.kv.list<WebhookDelivery>({ prefix: deliveryPrefix(site), limit });
    return listed.keys.flatMap((key) => (key.metadata ? [key.metadata] : []));
  }

  async queueRetry(pending: PendingDelivery): Promise<void> {
    await this.kv.put(redeliverKey(pending.site, pending.delivery.id), JSON.stringify(pending), {
      expirationTtl: RETRY_SECONDS,
    });
  }

  /** Up to `max` deliveries waiting for the cron. */
  async pendingRetries(max = 20): Promise<PendingDelivery[]> {
    const listed = await this.kv.list({ prefix: REDELIVER_PREFIX, limit: max });
    const values = await Promise.all(listed.keys.map((key) => this.kv.get<PendingDelivery>(key.name, 'json')));
    return values.filter((value): value is PendingDelivery => value !== null);
  }

  async clearRetry(site: string, deliveryId: string): Promise<void> {
    await this.kv.delete(redeliverKey(site, deliveryId));
  }
}
