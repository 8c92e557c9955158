/**
 * Reads the deployment's configuration (the SITES and DEFAULT_SITE vars, the SALA_SECRET and ADMIN_PASSWORD
 * secrets) into the sites it serves, and every mistake in it into a problem: a code and values the admin page
 * translates, with an English message for the log and the API error that names the setting and the fix.
 */
import type { ConfigProblem, ConfigProblemCode } from '@sala/protocol';
import { readWrittenOrigin } from './origins.js';

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

/** A problem with its English message, which says what is wrong, where, and how to fix it. */
export interface FoundProblem {
  problem: ConfigProblem;
  message: string;
}

export interface SiteConfig {
  sites: Map<string, Site>;
  /** Set when SITES as a whole cannot be used: no site can be served until it is fixed. */
  unusable: FoundProblem | null;
  /** Sites SITES names but cannot serve, with why: a request for one gets that reason, not "unknown site". */
  brokenSites: Map<string, FoundProblem>;
  /** Set when DEFAULT_SITE names a site SITES does not define. */
  defaultSite: FoundProblem | null;
  /** Secrets that are not set, by name. */
  missingSecrets: Map<'SALA_SECRET' | 'ADMIN_PASSWORD', FoundProblem>;
  /** Every problem, in the order of the configuration. */
  problems: FoundProblem[];
}

/** What the configuration is read from: the Worker's env. SITES is a JSON string, or an object when written as one. */
export interface ConfigSource {
  SITES?: unknown;
  DEFAULT_SITE?: string;
  SALA_SECRET?: string;
  ADMIN_PASSWORD?: string;
}

/** Site ids become part of KV keys, so they may not contain the `:` separator or anything odd. */
const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** Most views one sampled beacon may stand for: beyond it, the lists of all but the busiest blogs become noise. */
const MAX_SAMPLE_RATE = 100;

const EXAMPLE = '{"myblog": {"origins": ["https://myblog.blogspot.com"]}}';

function found(
  code: ConfigProblemCode,
  severity: ConfigProblem['severity'],
  setting: string,
  message: string,
  values: { value?: string; used?: string } = {},
): FoundProblem {
  return { problem: { code, severity, setting, ...values }, message };
}

/** "a list", "a number": what a person wrote instead of an object, in words. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** SITES as written: a JSON string (the only form before wrangler took objects), or the object itself. */
function sitesObject(raw: unknown): { entries: [string, unknown][] } | FoundProblem {
  let value: unknown = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? ` (${error.message})` : '';
      return found(
        'sites_invalid_json',
        'error',
        'SITES',
        `SITES is not valid JSON${reason}. Write it as an object in wrangler.jsonc: "SITES": ${EXAMPLE}`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return found(
      'sites_not_object',
      'error',
      'SITES',
      `SITES must be an object of sites like ${EXAMPLE}, not ${kindOf(value)}.`,
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    return found(
      'sites_empty',
      'error',
      'SITES',
      `SITES defines no site. Add one in wrangler.jsonc: "SITES": ${EXAMPLE}`,
    );
  }
  return { entries };
}

/** A site's origins, corrected where the intent is clear; problems for the rest. Null when none is usable. */
function siteOrigins(id: string, origins: unknown, problems: FoundProblem[]): string[] | null {
  if (!Array.isArray(origins) || !origins.every((origin) => typeof origin === 'string')) return null;
  const usable: string[] = [];
  origins.forEach((written: string, i) => {
    const setting = `SITES.${id}.origins[${i}]`;
    const where = `SITES: site "${id}": origins[${i}] ${JSON.stringify(written)}`;
    const origin = readWrittenOrigin(written);
    if (!origin) {
      problems.push(
        found(
          'origin_invalid',
          'error',
          setting,
          `${where} is not an origin like https://myblog.blogspot.com; it is ignored.`,
          { value: written },
        ),
      );
      return;
    }
    if (origin.addedScheme) {
      problems.push(
        found(
          'origin_no_scheme',
          'warning',
          setting,
          `${where} has no scheme; using ${origin.pattern}. Write the scheme (http:// if the site has no https).`,
          { value: written, used: origin.pattern },
        ),
      );
    } else if (origin.droppedPath) {
      problems.push(
        found(
          'origin_path',
          'warning',
          setting,
          `${where} has a path or trailing slash; using ${origin.pattern}. An origin is the scheme and host only.`,
          { value: written, used: origin.pattern },
        ),
      );
    }
    usable.push(origin.pattern);
  });
  return usable.length > 0 ? usable : null;
}

function sampleRate(id: string, raw: unknown, problems: FoundProblem[]): number {
  if (raw === undefined) return 1;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= MAX_SAMPLE_RATE) return raw;
  problems.push(
    found(
      'sample_rate_invalid',
      'warning',
      `SITES.${id}.viewSampleRate`,
      `SITES: site "${id}": viewSampleRate must be a whole number 1-${MAX_SAMPLE_RATE}; using 1.`,
      { value: JSON.stringify(raw) ?? String(raw), used: '1' },
    ),
  );
  return 1;
}

function readSites(raw: unknown, config: SiteConfig): void {
  const read = sitesObject(raw);
  if (!('entries' in read)) {
    config.unusable = read;
    config.problems.push(read);
    return;
  }
  for (const [id, entry] of read.entries) {
    if (!SITE_ID.test(id)) {
      const problem = found(
        'site_id_invalid',
        'error',
        'SITES',
        `SITES: ${JSON.stringify(id)} is not a usable site id: use 1 to 64 letters, digits, - and _.`,
        { value: id },
      );
      config.brokenSites.set(id, problem);
      config.problems.push(problem);
      continue;
    }
    const fields = (typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {}) as Record<
      string,
      unknown
    >;
    const siteProblems: FoundProblem[] = [];
    const origins = siteOrigins(id, fields.origins, siteProblems);
    if (!origins) {
      const problem = found(
        'site_origins_invalid',
        'error',
        `SITES.${id}.origins`,
        `SITES: site "${id}": origins must be a list of origins like https://myblog.blogspot.com`,
      );
      config.brokenSites.set(id, problem);
      config.problems.push(...siteProblems, problem);
      continue;
    }
    const site: Site = {
      id,
      name: typeof fields.name === 'string' && fields.name.trim() !== '' ? fields.name : id,
      origins,
      viewSampleRate: sampleRate(id, fields.viewSampleRate, siteProblems),
      respectDoNotTrack: fields.respectDoNotTrack === true,
    };
    config.sites.set(id, site);
    config.problems.push(...siteProblems);
  }
}

/** The configuration in `env`, with every mistake found in it. Pure: the caller caches and logs. */
export function readSiteConfig(env: ConfigSource): SiteConfig {
  const config: SiteConfig = {
    sites: new Map(),
    unusable: null,
    brokenSites: new Map(),
    defaultSite: null,
    missingSecrets: new Map(),
    problems: [],
  };
  readSites(env.SITES, config);

  const defaultSite = env.DEFAULT_SITE;
  // A default SITES cannot be read, or that SITES names but cannot serve, already has its own problem.
  if (defaultSite && !config.unusable && !config.sites.has(defaultSite) && !config.brokenSites.has(defaultSite)) {
    config.defaultSite = found(
      'default_site_unknown',
      'error',
      'DEFAULT_SITE',
      `DEFAULT_SITE names the site "${defaultSite}", which SITES does not define: add it to SITES or name one it does.`,
      { value: defaultSite },
    );
    config.problems.push(config.defaultSite);
  }

  const secrets = {
    SALA_SECRET: 'nothing can be posted or signed in (it keys the hashes and signatures)',
    ADMIN_PASSWORD: 'nobody can sign in at /admin',
  } as const;
  for (const name of ['SALA_SECRET', 'ADMIN_PASSWORD'] as const) {
    if (env[name]) continue;
    const problem = found(
      'secret_missing',
      'error',
      name,
      `${name} is not set, so ${secrets[name]}: run npx wrangler secret put ${name} (npm run dev writes .dev.vars).`,
    );
    config.missingSecrets.set(name, problem);
    config.problems.push(problem);
  }
  return config;
}
