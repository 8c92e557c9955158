/**
 * The notice listing mistakes in the server's configuration (SITES, DEFAULT_SITE, the secrets), each in the
 * page's language with its fix. The Worker sends codes and values (`ConfigProblem`), never sentences.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConfigProblem, ConfigProblemCode } from '@sala/protocol';
import type { AdminStringKey, AdminTranslator } from './strings/admin-strings.js';

/** The message of each problem; `{setting}`, `{value}` and `{used}` come from the problem. */
const MESSAGES: Record<ConfigProblemCode, AdminStringKey> = {
  sites_invalid_json: 'configSitesInvalidJson',
  sites_not_object: 'configSitesNotObject',
  sites_empty: 'configSitesEmpty',
  site_id_invalid: 'configSiteIdInvalid',
  site_origins_invalid: 'configSiteOriginsInvalid',
  origin_invalid: 'configOriginInvalid',
  origin_path: 'configOriginPath',
  origin_no_scheme: 'configOriginNoScheme',
  sample_rate_invalid: 'configSampleRateInvalid',
  default_site_unknown: 'configDefaultSiteUnknown',
  secret_missing: 'configSecretMissing',
};

/** The message for one problem; a code newer than this page still names the setting. */
export function configProblemMessage(problem: ConfigProblem, i18n: AdminTranslator): string {
  const key = MESSAGES[problem.code] ?? 'configUnknown';
  return i18n.t(key, { setting: problem.setting, value: problem.value ?? '', used: problem.used ?? '' });
}

/** A labelled region (a landmark screen readers list) above the sections; nothing when the configuration is sound. */
export function renderConfigProblems(
  problems: readonly ConfigProblem[],
  i18n: AdminTranslator,
): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  const errors = problems.some((problem) => problem.severity === 'error');
  return html`<section class="config-problems" aria-labelledby="config-problems-heading">
    <h2 id="config-problems-heading">${i18n.t(errors ? 'configHeading' : 'configWarningsHeading')}</h2>
    <p>${i18n.t('configIntro')}</p>
    <ul>
      ${problems.map(
        (problem) =>
          html`<li class=${problem.severity}>
            <strong>${i18n.t(problem.severity === 'error' ? 'configError' : 'configWarning')}</strong>
            <code>${problem.setting}</code>: ${configProblemMessage(problem, i18n)}
          </li>`,
      )}
    </ul>
  </section>`;
}
