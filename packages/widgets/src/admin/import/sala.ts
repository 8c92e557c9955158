/**
 * A Sala export (`sala-export-{site}-{date}.json`, from another Sala Worker or this one): its threads as the import
 * contract carries them (`exportToImportThreads`: each comment keeps its Sala id, so importing it twice adds
 * nothing and a round trip keeps readers' links). Page ids are Sala's own already: no rewrite applies.
 */
import {
  EXPORT_VERSION,
  exportToImportThreads,
  type ExportDocument,
  type ExportSite,
  type ImportStatus,
} from '@sala/protocol';
import { ImportFileError, type ImportPlan, type ImportSkip } from './plan.js';

type Extras = NonNullable<ImportPlan['extras']>;

/** The export's site fields an import request also carries (its settings, its bans), by the name both give them. */
const EXTRA_FIELDS: readonly (keyof Extras & keyof ExportSite)[] = [];

export function isSalaExport(json: unknown): json is ExportDocument {
  if (typeof json !== 'object' || json === null) return false;
  const fields = json as Record<string, unknown>;
  return typeof fields.version === 'number' && Array.isArray(fields.sites);
}

export function parseSalaExport(document: ExportDocument): ImportPlan {
  if (document.version !== EXPORT_VERSION) {
    throw new ImportFileError(
      'unknown-format',
      `This Sala export is version ${String(document.version)}; this Sala reads version ${EXPORT_VERSION}. Export again from an up-to-date Sala.`,
    );
  }
  const site = document.sites[0];
  if (site === undefined || !Array.isArray(site.threads)) {
    throw new ImportFileError('unknown-format', 'This Sala export holds no site.');
  }
  const threads = exportToImportThreads(document, site.site).filter(
    (thread) => thread.comments.length > 0 || thread.closed === true,
  );

  const deleted: ImportSkip = { reason: 'deleted', count: 0, examples: [] };
  for (const thread of site.threads) {
    for (const comment of thread.comments) {
      if (comment.deletedAt === undefined) continue;
      deleted.count++;
      if (deleted.examples.length < 5) deleted.examples.push(comment.id);
    }
  }
  const counts: Record<ImportStatus, number> = { approved: 0, pending: 0, spam: 0, rejected: 0 };
  for (const thread of threads) for (const comment of thread.comments) counts[comment.status]++;

  const extras: Extras = {};
  for (const field of EXTRA_FIELDS) if (site[field] !== undefined) Object.assign(extras, { [field]: site[field] });
  const plan: ImportPlan = { source: 'sala', threads, counts, skipped: deleted.count > 0 ? [deleted] : [] };
  if (Object.keys(extras).length > 0) plan.extras = extras;
  return plan;
}
