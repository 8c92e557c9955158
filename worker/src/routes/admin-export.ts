/**
 * /api/v1/admin/sites/:site/export?cursor=: every comment (all states, deleted placeholders included), closed
 * threads, bans and settings, page by page (protocol export.ts); the admin page fetches them all and saves one
 * file. Paged because one invocation may make 1,000 KV operations at most (worker/README.md "Export").
 */
import type { ExportPage } from '@sala/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { readExportCursor } from '../domain/site-export.js';
import { readExportPage } from '../storage/site-export.js';

export const adminExport = new Hono<AppEnv>();

adminExport.get('/export', async (c) => {
  const cursor = readExportCursor(c.req.query('cursor'));
  const page = await readExportPage(c.env.SALA, c.get('site'), cursor);
  // Emails and the owner's data: no cache anywhere may keep a copy.
  c.header('Cache-Control', 'no-store');
  return c.json<ExportPage>(page);
});
