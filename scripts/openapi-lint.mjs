#!/usr/bin/env node
// Lints the OpenAPI document the real host serves (built host, throwaway SQLite data directory)
// with Redocly (rules in redocly.yaml). Run after `npm run build`; exits with redocly's code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureIsolateFlags } from '@weft/sandbox';

const dist = new URL('../host/dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('openapi-lint: host/dist is missing; run `npm run build` first');
  process.exit(2);
}

if (ensureIsolateFlags()) {
  const { createHost, loadConfig } = await import(dist.href);
  const dir = mkdtempSync(join(tmpdir(), 'weft-openapi-'));
  const file = join(dir, 'openapi.json');
  const host = await createHost(
    loadConfig({
      WEFT_DATA_DIR: dir,
      WEFT_PORT: '0',
      WEFT_HOST: '127.0.0.1',
      WEFT_LOG_LEVEL: 'silent',
      WEFT_SEED_EXAMPLES: 'false',
    }),
    { announce: () => {} },
  );
  try {
    const url = await host.listen();
    const response = await fetch(`${url}/api/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
    writeFileSync(file, JSON.stringify(await response.json(), null, 2));
  } finally {
    await host.close();
  }
  const config = new URL('../redocly.yaml', import.meta.url).pathname;
  const lint = spawnSync('npx', ['redocly', 'lint', '--config', config, file], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = lint.status ?? 1;
}
