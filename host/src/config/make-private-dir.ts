import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `dir` and any missing parents with mode 0700, set with chmod rather than left to the
 * umask: the data directory holds secrets and execution data other local users must not read.
 * Directories that already exist keep their mode (an operator may have chosen it).
 *
 * @example
 * ```ts
 * makePrivateDir('/srv/weft/.weft'); // drwx------ when new
 * ```
 */
export function makePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!first) return;
  for (let d = dir; ; d = dirname(d)) {
    chmodSync(d, 0o700);
    if (d === first || d === dirname(d)) break;
  }
}
