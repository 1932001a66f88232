import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes sure `filename` exists, creating it with mode 0600 and each missing directory on its path
 * with mode 0700 — set with chmod, not left to the umask, since the files hold execution data other
 * local users must not read. SQLite gives the `-wal` and `-shm` files the database file's mode.
 * An existing file or directory keeps its mode: an operator may have chosen it.
 *
 * @example
 * ```ts
 * createPrivateFile('/srv/weft/.weft/weft.db'); // .weft 0700, weft.db 0600 when new
 * new Database('/srv/weft/.weft/weft.db');
 * ```
 */
export function createPrivateFile(filename: string): void {
  const dir = dirname(filename);
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (first) {
    for (let d = dir; ; d = dirname(d)) {
      chmodSync(d, 0o700);
      if (d === first || d === dirname(d)) break;
    }
  }
  let fd: number;
  try {
    fd = openSync(filename, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  closeSync(fd);
  chmodSync(filename, 0o600);
}
