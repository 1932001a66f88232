import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('runs workflows from code on SQLite with the isolate sandbox', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'weft-example-')), 'example.db');
  const script = new URL('./run.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', script, db], {
    cwd: new URL('.', import.meta.url).pathname,
  });
  expect(stdout).toContain('direct run: succeeded -> Invoice 7: 30 EUR');
  expect(stdout).toContain('queued run: succeeded -> Invoice 8: 30 EUR');
  expect(stdout).toContain(
    'checkpoints: Start:succeeded, Total:succeeded, Cool off:waiting, Cool off:succeeded, Label:succeeded',
  );
});
