import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'weft-config-'));

describe('loadConfig', () => {
  it('defaults to SQLite under ./.weft on port 3000 and generates a master key once, with a warning', () => {
    const cwd = dir();
    const c = loadConfig({}, cwd);
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe(`sqlite:${join(cwd, '.weft', 'weft.db')}`);
    expect(c.rateLimitPerWorkspace).toBe(5000);
    expect(c.warnings.join()).toContain('WEFT_MASTER_KEY is not set');
    expect(existsSync(join(cwd, '.weft', 'master.key'))).toBe(true);
    const again = loadConfig({}, cwd);
    expect(again.masterKeys).toBe(c.masterKeys);
    expect(again.warnings).toEqual([]);
  });

  it('collects analytics unless WEFT_ANALYTICS is off', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).analytics).toBe(true);
    expect(loadConfig({ WEFT_ANALYTICS: '0' }, cwd).analytics).toBe(false);
    expect(loadConfig({}, cwd).analyticsRetentionDays).toEqual({ partials: 7, fiveMinute: 30, hourly: 365 });
    expect(loadConfig({ WEFT_ANALYTICS_HOURLY_DAYS: '730' }, cwd).analyticsRetentionDays.hourly).toBe(730);
    expect(() => loadConfig({ WEFT_ANALYTICS_PARTIAL_DAYS: '0' }, cwd)).toThrow(/WEFT_ANALYTICS_PARTIAL_DAYS/);
  });

  it('reads the GraphQL depth and cost limits, naming a bad one', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).graphql).toEqual({ maxDepth: 8, maxCost: 2000 });
    expect(loadConfig({ WEFT_GRAPHQL_MAX_DEPTH: '4', WEFT_GRAPHQL_MAX_COST: '500' }, cwd).graphql).toEqual({
      maxDepth: 4,
      maxCost: 500,
    });
    expect(() => loadConfig({ WEFT_GRAPHQL_MAX_DEPTH: '0' }, cwd)).toThrow(/WEFT_GRAPHQL_MAX_DEPTH/);
    expect(() => loadConfig({ WEFT_GRAPHQL_MAX_COST: 'lots' }, cwd)).toThrow(/WEFT_GRAPHQL_MAX_COST/);
  });

  it('names every bad setting', () => {
    let err: unknown;
    try {
      loadConfig(
        {
          WEFT_PORT: 'eighty',
          WEFT_DATABASE_URL: 'mysql://x',
          WEFT_REDIS_URL: 'http://r',
          WEFT_LOG_LEVEL: 'loud',
          WEFT_OWNER_EMAIL: 'a@b.c',
          WEFT_BRAND_PRIMARY_COLOR: 'red',
        },
        dir(),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of [
      'WEFT_PORT',
      'WEFT_DATABASE_URL',
      'WEFT_REDIS_URL',
      'WEFT_LOG_LEVEL',
      'WEFT_OWNER_PASSWORD',
      'WEFT_BRAND_PRIMARY_COLOR',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('rejects a master key that is not 32 bytes', () => {
    expect(() => loadConfig({ WEFT_MASTER_KEY: 'k1:c2hvcnQ=' }, dir())).toThrow(/WEFT_MASTER_KEY entry 1/);
  });

  it('reads the outbound HTTP allow-list and names a bad entry', () => {
    expect(loadConfig({}, dir()).httpAllow).toEqual([]);
    expect(loadConfig({ WEFT_HTTP_ALLOW: '10.1.0.0/16, ::1,api.internal' }, dir()).httpAllow).toEqual([
      '10.1.0.0/16',
      '::1',
      'api.internal',
    ]);
    expect(() => loadConfig({ WEFT_HTTP_ALLOW: '10.0.0.0/8,not a host!' }, dir())).toThrow(
      /WEFT_HTTP_ALLOW: Allow-list entry "not a host!" is neither a CIDR range/,
    );
  });

  it('reads a YAML config file named by WEFT_CONFIG, environment winning', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'weft.yaml'),
      'port: 8080\ncorsOrigins:\n  - https://app.example.com\nbrandName: Acme Flows\n',
    );
    const c = loadConfig({ WEFT_CONFIG: 'weft.yaml', WEFT_PORT: '9090' }, cwd);
    expect(c.port).toBe(9090);
    expect(c.corsOrigins).toEqual(['https://app.example.com']);
    expect(c.branding.name).toBe('Acme Flows');
    expect(readFileSync(join(cwd, 'weft.yaml'), 'utf8')).toContain('8080');
  });
});
