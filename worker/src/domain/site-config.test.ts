import { describe, expect, it } from 'vitest';
import { readSiteConfig, type ConfigSource } from './site-config.js';

const SECRETS = { SALA_SECRET: 'secret', ADMIN_PASSWORD: 'password' };

function read(sites: unknown, env: ConfigSource = {}) {
  return readSiteConfig({ ...SECRETS, SITES: sites, ...env });
}

describe('readSiteConfig', () => {
  it('reads SITES written as an object, as wrangler passes a .jsonc object var, the same as the JSON string', () => {
    const sites = { myblog: { name: 'My blog', origins: ['https://myblog.blogspot.com'], viewSampleRate: 10 } };
    const fromObject = read(sites);
    const fromString = read(JSON.stringify(sites));
    expect(fromObject.problems).toEqual([]);
    expect(fromObject.sites.get('myblog')).toEqual({
      id: 'myblog',
      name: 'My blog',
      origins: ['https://myblog.blogspot.com'],
      viewSampleRate: 10,
      respectDoNotTrack: false,
    });
    expect(fromString.sites).toEqual(fromObject.sites);
  });

  it('says SITES is not JSON, not an object, or empty, and serves nothing', () => {
    const cases: [unknown, string, RegExp][] = [
      ['{"myblog": {"origins": ["https://myblog.blogspot.com"],}}', 'sites_invalid_json', /^SITES is not valid JSON/],
      ['["https://myblog.blogspot.com"]', 'sites_not_object', /^SITES must be an object of sites .* not a list/],
      [['https://myblog.blogspot.com'], 'sites_not_object', /not a list/],
      [42, 'sites_not_object', /not a number/],
      ['{}', 'sites_empty', /^SITES defines no site/],
      [undefined, 'sites_empty', /^SITES defines no site/],
    ];
    for (const [sites, code, message] of cases) {
      const config = read(sites);
      expect(config.unusable?.problem).toEqual({ code, severity: 'error', setting: 'SITES' });
      expect(config.unusable?.message).toMatch(message);
      // Every message shows what to write instead.
      expect(config.unusable?.message).toContain('{"myblog": {"origins": ["https://myblog.blogspot.com"]}}');
      expect(config.sites.size).toBe(0);
    }
  });

  it('leaves out a site with an id that cannot be used, naming the id', () => {
    const config = read({ 'my blog': { origins: ['https://a.test'] }, ok: { origins: ['https://b.test'] } });
    expect([...config.sites.keys()]).toEqual(['ok']);
    expect(config.problems.map((found) => found.problem)).toEqual([
      { code: 'site_id_invalid', severity: 'error', setting: 'SITES', value: 'my blog' },
    ]);
    expect(config.brokenSites.get('my blog')?.message).toBe(
      'SITES: "my blog" is not a usable site id: use 1 to 64 letters, digits, - and _.',
    );
  });

  it('refuses a site whose origins are missing, not strings, or none of them usable', () => {
    for (const entry of [
      {},
      { origins: 'https://myblog.blogspot.com' },
      { origins: [42] },
      { origins: [] },
      'https://myblog.blogspot.com',
    ]) {
      const config = read({ x: entry });
      expect(config.sites.has('x')).toBe(false);
      expect(config.brokenSites.get('x')).toEqual({
        problem: { code: 'site_origins_invalid', severity: 'error', setting: 'SITES.x.origins' },
        message: 'SITES: site "x": origins must be a list of origins like https://myblog.blogspot.com',
      });
    }
  });

  it('uses the origin meant by one written with a trailing slash or a path, and warns', () => {
    const config = read({
      myblog: { origins: ['https://myblog.blogspot.com/', 'https://myblog.blogspot.com/2024/'] },
    });
    expect(config.sites.get('myblog')?.origins).toEqual(['https://myblog.blogspot.com', 'https://myblog.blogspot.com']);
    expect(config.problems.map((found) => found.problem)).toEqual([
      {
        code: 'origin_path',
        severity: 'warning',
        setting: 'SITES.myblog.origins[0]',
        value: 'https://myblog.blogspot.com/',
        used: 'https://myblog.blogspot.com',
      },
      {
        code: 'origin_path',
        severity: 'warning',
        setting: 'SITES.myblog.origins[1]',
        value: 'https://myblog.blogspot.com/2024/',
        used: 'https://myblog.blogspot.com',
      },
    ]);
    expect(config.problems[0]?.message).toBe(
      'SITES: site "myblog": origins[0] "https://myblog.blogspot.com/" has a path or trailing slash; using ' +
        'https://myblog.blogspot.com. An origin is the scheme and host only.',
    );
  });

  it('assumes https for an origin without a scheme, and warns which it used', () => {
    const config = read({ myblog: { origins: ['myblog.blogspot.com'] } });
    expect(config.sites.get('myblog')?.origins).toEqual(['https://myblog.blogspot.com']);
    expect(config.problems[0]?.problem).toMatchObject({
      code: 'origin_no_scheme',
      severity: 'warning',
      setting: 'SITES.myblog.origins[0]',
      used: 'https://myblog.blogspot.com',
    });
    expect(config.problems[0]?.message).toMatch(/has no scheme; using https:\/\/myblog\.blogspot\.com/);
  });

  it('ignores an origin that is not one, keeping the site with the rest', () => {
    const config = read({ myblog: { origins: ['ftp://files.example.com', 'https://myblog.blogspot.com'] } });
    expect(config.sites.get('myblog')?.origins).toEqual(['https://myblog.blogspot.com']);
    expect(config.problems).toEqual([
      {
        problem: {
          code: 'origin_invalid',
          severity: 'error',
          setting: 'SITES.myblog.origins[0]',
          value: 'ftp://files.example.com',
        },
        message:
          'SITES: site "myblog": origins[0] "ftp://files.example.com" is not an origin like ' +
          'https://myblog.blogspot.com; it is ignored.',
      },
    ]);
  });

  it('takes an IPv6 origin in brackets, as a browser on http://[::1]:8787 sends it, written short or long', () => {
    const config = read({ local: { origins: ['http://[::1]:8787', 'http://[0:0:0:0:0:0:0:1]:*', 'http://[::1'] } });
    expect(config.sites.get('local')?.origins).toEqual(['http://[::1]:8787', 'http://[::1]:*']);
    expect(config.problems.map((found) => found.problem.value)).toEqual(['http://[::1']);
  });

  it('counts every view when viewSampleRate is out of range, and warns', () => {
    for (const rate of [0, 101, 2.5, '10']) {
      const config = read({ myblog: { origins: ['https://a.test'], viewSampleRate: rate } });
      expect(config.sites.get('myblog')?.viewSampleRate).toBe(1);
      expect(config.problems[0]?.problem).toMatchObject({
        code: 'sample_rate_invalid',
        setting: 'SITES.myblog.viewSampleRate',
        used: '1',
      });
    }
  });

  it('says when DEFAULT_SITE names a site SITES lacks', () => {
    const config = read({ myblog: { origins: ['https://a.test'] } }, { DEFAULT_SITE: 'demo' });
    expect(config.defaultSite).toEqual({
      problem: { code: 'default_site_unknown', severity: 'error', setting: 'DEFAULT_SITE', value: 'demo' },
      message: 'DEFAULT_SITE names the site "demo", which SITES does not define: add it to SITES or name one it does.',
    });
    expect(read({ demo: { origins: ['https://a.test'] } }, { DEFAULT_SITE: 'demo' }).problems).toEqual([]);
  });

  it('names each missing secret and the command that sets it', () => {
    const config = readSiteConfig({ SITES: { demo: { origins: ['https://a.test'] } } });
    expect(config.problems.map((found) => found.problem)).toEqual([
      { code: 'secret_missing', severity: 'error', setting: 'SALA_SECRET' },
      { code: 'secret_missing', severity: 'error', setting: 'ADMIN_PASSWORD' },
    ]);
    expect(config.missingSecrets.get('SALA_SECRET')?.message).toContain('npx wrangler secret put SALA_SECRET');
    expect(config.missingSecrets.get('ADMIN_PASSWORD')?.message).toContain('npx wrangler secret put ADMIN_PASSWORD');
  });
});
