import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrivateFile } from './create-private-file.js';
import { createSqliteStorage } from './sqlite-storage.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('SQLite file modes', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'weft-sqlite-modes-'));
    // The widest umask: whatever the modes end up as, the code set them.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates missing directories 0700 and the database, -wal and -shm files 0600', async () => {
    const filename = join(root, 'a', '.weft', 'weft.db');
    const storage = await createSqliteStorage({ filename });
    await storage.workflows.save('ws', {
      id: 'wf',
      name: 'Modes',
      nodes: [{ id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} }],
      connections: [],
    });
    expect(mode(join(root, 'a'))).toBe(0o700);
    expect(mode(join(root, 'a', '.weft'))).toBe(0o700);
    for (const file of ['weft.db', 'weft.db-wal', 'weft.db-shm']) {
      expect(mode(join(root, 'a', '.weft', file)), file).toBe(0o600);
    }
    await storage.close();
  });

  it('leaves an existing file and directory as the operator set them', () => {
    const filename = join(root, 'weft.db');
    writeFileSync(filename, '');
    chmodSync(filename, 0o640);
    chmodSync(root, 0o750);
    createPrivateFile(filename);
    expect(mode(filename)).toBe(0o640);
    expect(mode(root)).toBe(0o750);
  });
});
