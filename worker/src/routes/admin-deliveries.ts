/** /api/v1/admin/sites/:site/deliveries: the last webhook deliveries and how they went. */
import type { WebhookDeliveryListResponse } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { WebhookDeliveries } from '../storage/webhook-deliveries.js';

export const adminDeliveries = new Hono<AppEnv>();

adminDeliveries.get('/deliveries', async (c) =>
  c.json<WebhookDeliveryListResponse>({ deliveries: await new WebhookDeliveries(c.env.SALA).latest(c.get('site').id) }),
);
