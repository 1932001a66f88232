#!/usr/bin/env node
// The `weft` command npm links. It is committed, not built: npm links a package's bins when it
// installs, before any build, and skips a bin whose file is missing. It loads the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/bin/weft.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    `weft: the CLI is not built yet (${fileURLToPath(cli)} is missing); run \`npm run build\` first\n`,
  );
  process.exitCode = 1;
}
