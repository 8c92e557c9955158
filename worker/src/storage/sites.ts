/**
 * The sites this Worker serves and the origins allowed to call it for each. Today they come from the SITES var
 * (JSON: site id -> { name?, origins }); this module is the one place that knows, so they can move to KV later.
 */

export interface Site {
  id: string;
  name: string;
  /** Exact origins or patterns (`https://*.example.com`, `http://localhost:*`); see domain/origins.ts. */
  origins: string[];
  /** Views are sampled 1 in N (each beacon then weighs N, and no beacon may weigh more); 1 counts every view. */
  viewSampleRate: number;
  /** Views from browsers sending `DNT: 1` or `Sec-GPC: 1` are not counted. */
  respectDoNotTrack: boolean;
}

/** Site ids become part of KV keys, so they may not contain the `:` separator or anything odd. */
const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

let cached: { raw: string; sites: Map<string, Site> } | undefined;

/** Most views one sampled beacon may stand for: beyond it, the lists of all but the busiest blogs become noise. */
const MAX_SAMPLE_RATE = 100;

function sampleRate(siteId: string, raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= MAX_SAMPLE_RATE) return raw;
  console.warn(
    `[sala] SITES: site ${JSON.stringify(siteId)}: viewSampleRate must be a whole number 1-${MAX_SAMPLE_RATE}; using 1`,
  );
  return 1;
}

function parseSites(raw: string): Map<string, Site> {
  let config: unknown;
  try {
    config = JSON.parse(raw);
  } catch {
    throw new Error('SITES is not valid JSON: expected {"site-id": {"origins": ["https://blog.example.com"]}}');
  }
  const sites = new Map<string, Site>();
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return sites;
  for (const [id, entry] of Object.entries(config as Record<string, unknown>)) {
    const { name, origins, viewSampleRate, respectDoNotTrack } = (
      typeof entry === 'object' && entry !== null ? entry : {}
    ) as Record<string, unknown>;
    if (!SITE_ID.test(id) || !Array.isArray(origins) || !origins.every((origin) => typeof origin === 'string')) {
      console.warn(`[sala] SITES: skipping site ${JSON.stringify(id)}: needs a simple id and an "origins" string list`);
      continue;
    }
    sites.set(id, {
      id,
      name: typeof name === 'string' ? name : id,
      origins,
      viewSampleRate: sampleRate(id, viewSampleRate),
      respectDoNotTrack: respectDoNotTrack === true,
    });
  }
  return sites;
}

/** The site named `siteId`, or null if this Worker does not serve it. */
export function findSite(env: Pick<Env, 'SITES'>, siteId: string): Site | null {
  const raw = env.SITES ?? '{}';
  if (cached?.raw !== raw) cached = { raw, sites: parseSites(raw) };
  return cached.sites.get(siteId) ?? null;
}

/** Every site this Worker serves, for the cron's per-site work. */
export function configuredSites(env: Pick<Env, 'SITES'>): Site[] {
  const raw = env.SITES ?? '{}';
  if (cached?.raw !== raw) cached = { raw, sites: parseSites(raw) };
  return [...cached.sites.values()];
}
