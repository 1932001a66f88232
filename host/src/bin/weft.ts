#!/usr/bin/env node
import { ensureIsolateFlags } from '@weft/sandbox';
import { weftCli } from '../cli/weft-cli.js';

if (ensureIsolateFlags()) {
  process.exitCode = await weftCli(process.argv.slice(2));
}
