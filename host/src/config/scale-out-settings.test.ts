import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'weft-scale-config-'));
const pg = 'postgres://weft@db:5432/weft';

describe('scale-out settings', () => {
  it('reads a Redis Cluster seed list, a read replica and a direct primary URL', () => {
    const c = loadConfig(
      {
        WEFT_DATABASE_URL: 'postgres://weft@pgbouncer:6432/weft',
        WEFT_DATABASE_READ_URL: 'postgres://weft@replica:5432/weft',
        WEFT_DATABASE_DIRECT_URL: pg,
        WEFT_REDIS_URL: 'redis://10.0.0.1:6379, redis://10.0.0.2:6379',
        WEFT_REDIS_CLUSTER: 'true',
      },
      cwd(),
    );
    expect(c).toMatchObject({
      redisCluster: true,
      databaseReadUrl: 'postgres://weft@replica:5432/weft',
      databaseDirectUrl: pg,
    });
    const plain = loadConfig({ WEFT_DATABASE_URL: pg, WEFT_REDIS_URL: 'redis://r:6379' }, cwd());
    expect(plain.redisCluster).toBeUndefined();
    expect(plain.databaseReadUrl).toBeUndefined();
  });

  it('names the variable and the problem for bad values', () => {
    expect(() => loadConfig({ WEFT_REDIS_CLUSTER: '1' }, cwd())).toThrow(/WEFT_REDIS_CLUSTER needs WEFT_REDIS_URL/);
    expect(() => loadConfig({ WEFT_REDIS_URL: 'redis://a:1,redis://b:2' }, cwd())).toThrow(
      /lists several servers: set WEFT_REDIS_CLUSTER=1/,
    );
    expect(() => loadConfig({ WEFT_REDIS_CLUSTER: 'yes', WEFT_REDIS_URL: 'redis://a:1,http://b:2' }, cwd())).toThrow(
      /WEFT_REDIS_URL entry "http:\/\/b:2" must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => loadConfig({ WEFT_DATABASE_URL: pg, WEFT_DATABASE_READ_URL: 'mysql://x' }, cwd())).toThrow(
      /WEFT_DATABASE_READ_URL must start with postgres:\/\//,
    );
    expect(() => loadConfig({ WEFT_DATABASE_DIRECT_URL: pg }, cwd())).toThrow(
      /WEFT_DATABASE_DIRECT_URL needs WEFT_DATABASE_URL to be a postgres:\/\/ URL/,
    );
  });
});
