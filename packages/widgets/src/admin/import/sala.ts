/**
 * A Sala export (`sala-export-{site}-{date}.json`, from another Sala Worker or this one): its threads as the import
 * contract carries them (`exportToImportThreads`: each comment keeps its Sala id, so importing it twice adds
 * nothing and a round trip keeps readers' links). Page ids are Sala's own already: no rewrite applies.
 */
import {
  EXPORT_VERSION,
  exportThreadToImport,
  type ExportDocument,
  type ExportSite,
  type ExportThread,
  type ImportStatus,
  type ImportThread,
} from '@sala/protocol';
import { ImportFileError, type ImportPlan } from './plan.js';
import { CHECKPOINT_EVERY, runToEnd, type BuildProgress } from './plan-builder.js';

type Extras = NonNullable<ImportPlan['extras']>;

/** The export's site fields an import request also carries (its settings, its bans), by the name both give them. */
const EXTRA_FIELDS: readonly (keyof Extras & keyof ExportSite)[] = ['settings', 'bans'];

export function isSalaExport(json: unknown): json is ExportDocument {
  if (typeof json !== 'object' || json === null) return false;
  const fields = json as Record<string, unknown>;
  return typeof fields.version === 'number' && Array.isArray(fields.sites);
}

/** The export's first site, the one imported; throws `ImportFileError` for a version this Sala does not read. */
export function exportedSite(document: ExportDocument): ExportSite {
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
  return site;
}

/** A thread that did not map: mapped again, to throw, once the export's version is known to be one Sala reads. */
class Unmapped {
  constructor(readonly thread: unknown) {}
}

/**
 * A Sala export's threads, mapped one by one as they are read (a big export is cut into its threads as it arrives,
 * `json-chunks.ts`), so that no more than a thread of the parsed file is held beside the plan; then the plan, built in
 * steps, once the rest of the export has said its version and site.
 */
export class SalaThreadReader {
  readonly #threads: (ImportThread | Unmapped)[] = [];
  #comments = 0;

  read(thread: unknown): void {
    try {
      const mapped = exportThreadToImport(thread as ExportThread);
      this.#threads.push(mapped);
      this.#comments += mapped.comments.length;
    } catch {
      // An export of another version is refused for that, not for a thread of another shape.
      this.#threads.push(new Unmapped(thread));
    }
  }

  /** The plan; `site` is the export's first site (`exportedSite`), without its threads or with them read already. */
  *finish(site: ExportSite): Generator<BuildProgress, ImportPlan> {
    const total = this.#comments;
    const threads: ImportThread[] = [];
    const counts: Record<ImportStatus, number> = { approved: 0, pending: 0, spam: 0, rejected: 0 };
    let done = 0;
    let checkpoint = CHECKPOINT_EVERY;
    for (const read of this.#threads) {
      const thread = read instanceof Unmapped ? exportThreadToImport(read.thread as ExportThread) : read;
      done += thread.comments.length;
      if (thread.comments.length > 0 || thread.closed === true) {
        threads.push(thread);
        // Deleted placeholders are imported as placeholders (their replies hang from them), not counted as comments.
        for (const comment of thread.comments) if (comment.deletedAt === undefined) counts[comment.status]++;
      }
      if (done >= checkpoint) {
        checkpoint = done + CHECKPOINT_EVERY;
        yield { done, total };
      }
    }
    yield { done: total, total };

    const extras: Extras = {};
    for (const field of EXTRA_FIELDS) if (site[field] !== undefined) Object.assign(extras, { [field]: site[field] });
    const plan: ImportPlan = { source: 'sala', threads, counts, skipped: [] };
    if (Object.keys(extras).length > 0) plan.extras = extras;
    return plan;
  }
}

export function parseSalaExport(document: ExportDocument): ImportPlan {
  const site = exportedSite(document);
  const reader = new SalaThreadReader();
  for (const thread of site.threads) reader.read(thread);
  return runToEnd(reader.finish(site));
}
