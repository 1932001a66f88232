import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';

const dir = '/tmp/weft-region-settings-test';
const load = (env: Record<string, string>) =>
  loadConfig({ WEFT_DATA_DIR: dir, WEFT_MASTER_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}`, ...env });
const problems = (env: Record<string, string>): string[] => {
  try {
    load(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('WEFT_REGIONS settings', () => {
  it('is absent without WEFT_REGIONS: one database, as before', () => {
    expect(load({}).regions).toBeUndefined();
  });

  it('reads each region with its database and blob store, the first as default', () => {
    const config = load({
      WEFT_REGIONS: 'eu=postgres://u:p@db-eu/weft?options=a,b, us=postgres://db-us/weft',
      WEFT_REGION_BLOBS: 'eu=file:/srv/eu/buckets',
    });
    expect(config.regions?.defaultRegion).toBe('eu');
    expect(config.regions?.regions.map((r) => [r.name, r.databaseUrl])).toEqual([
      ['eu', 'postgres://u:p@db-eu/weft?options=a,b'],
      ['us', 'postgres://db-us/weft'],
    ]);
    const [eu, us] = config.regions?.regions ?? [];
    expect(eu?.blob).toMatchObject({ store: 'fs', root: '/srv/eu/buckets' });
    expect(us?.blob).toMatchObject({ store: 'fs', root: `${dir}/regions/us/buckets` });
    expect(us?.payloadBlobRoot).toBe(`${dir}/regions/us/payloads`);
    expect(
      load({ WEFT_REGIONS: 'eu=postgres://a/w,us=postgres://b/w', WEFT_DEFAULT_REGION: 'us' }).regions?.defaultRegion,
    ).toBe('us');
  });

  it('names the variable and entry of every bad value', () => {
    expect(problems({ WEFT_REGIONS: 'EU=postgres://a/w' })[0]).toMatch(
      /WEFT_REGIONS: "EU=postgres:\/\/a\/w" must be <region>=<value>/,
    );
    expect(problems({ WEFT_REGIONS: 'eu=mysql://a/w' })).toEqual([
      'WEFT_REGIONS region "eu": the database must be postgres://… or sqlite:<file>',
    ]);
    expect(problems({ WEFT_REGIONS: 'eu=postgres://a/w', WEFT_DEFAULT_REGION: 'us' })[0]).toContain(
      'WEFT_DEFAULT_REGION "us" is not a region of WEFT_REGIONS (eu)',
    );
    expect(problems({ WEFT_REGIONS: 'eu=postgres://a/w', WEFT_REGION_BLOBS: 'us=file:/x' })).toContain(
      'WEFT_REGION_BLOBS names region "us", which WEFT_REGIONS does not list',
    );
    expect(problems({ WEFT_REGIONS: 'eu=postgres://a/w', WEFT_REGION_BLOBS: 'eu=s3:weft-eu-' })[0]).toContain(
      'needs WEFT_BLOB_URL=s3:',
    );
    expect(problems({ WEFT_REGION_BLOBS: 'eu=file:/x' })).toContain('WEFT_REGION_BLOBS is set but WEFT_REGIONS is not');
  });

  it('refuses two regions on one database or one blob directory, without printing the password', () => {
    const shared = problems({ WEFT_REGIONS: 'eu=postgres://weft:hunter2@db/w,us=postgres://weft:hunter2@db/w' });
    expect(shared).toEqual(['Regions "eu" and "us" must not share one database (postgres://weft:***@db/w)']);
    expect(
      problems({ WEFT_REGIONS: 'eu=postgres://a/w,us=postgres://b/w', WEFT_REGION_BLOBS: 'eu=file:/b,us=file:/b' }),
    ).toEqual(['Regions "eu" and "us" must not share one blob store (file:/b)']);
  });
});
