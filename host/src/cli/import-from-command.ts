import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { NodeTypeSource } from '@weft/engine';
import { detectFormat, type ImportFormat, type ImportResult, importN8n, importNodeRed } from '@weft/importers';
import { CliError } from './cli-error.js';
import { readDocument } from './read-document.js';
import { importCommand } from './transfer-commands.js';

type Out = (line: string) => void;

const FORMATS: Record<ImportFormat, typeof importN8n> = { n8n: importN8n, 'node-red': importNodeRed };
const MARK = { exact: '=', differences: '~', unsupported: 'x' } as const;

/** Prints what an import of one file found: totals, then every node that is not exact, issues and credentials. */
export function printImportReport(file: string, result: ImportResult, out: Out): void {
  const s = result.report.summary;
  out(
    `${file} (${result.report.format}): ${s.workflows} workflow${s.workflows === 1 ? '' : 's'}, ${s.nodes} nodes: ` +
      `${s.exact} exact, ${s.differences} with differences, ${s.unsupported} unsupported`,
  );
  for (const w of result.report.workflows) {
    out(`  ${w.name}`);
    for (const n of w.nodes) {
      if (n.status !== 'exact') out(`    ${MARK[n.status]} ${n.source} (${n.sourceType}): ${n.differences.join('; ')}`);
    }
    for (const e of w.expressions) out(`    ! ${e.node} #${e.pointer}: ${e.reason}`);
    for (const c of w.credentials) out(`    create credential ${c.type} "${c.id}" (was ${c.sourceName})`);
    for (const note of w.notes) out(`    note: ${note}`);
  }
}

/**
 * `weft import [--from n8n|node-red] <file>...`: files in n8n's or Node-RED's format (given, or
 * detected per file) are converted with `@weft/importers` (required parameters the export left
 * empty, checked against `nodeTypes`, fail when run) and their report printed; then every file is
 * imported like a Weft workflow file. `--dry-run` prints the reports and stores nothing.
 *
 * @example
 * ```ts
 * await importFromCommand(['orders.n8n.json'], { from: 'n8n', workspace: 'ws1', nodeTypes: registry }, console.log);
 * ```
 */
export async function importFromCommand(
  files: string[],
  options: { from?: string; workspace?: string; dryRun?: boolean; nodeTypes?: NodeTypeSource },
  out: Out,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  if (options.from !== undefined && !(options.from in FORMATS)) {
    throw new CliError(`--from must be n8n or node-red, not "${options.from}"`, 2);
  }
  if (!files.length)
    throw new CliError('Usage: weft import <file.json|yaml>... [--from n8n|node-red] [--workspace <id>]', 2);
  const dir = mkdtempSync(join(tmpdir(), 'weft-import-'));
  try {
    const paths: string[] = [];
    for (const file of files) {
      const doc = await readDocument(file, 'import');
      const format = (options.from as ImportFormat | undefined) ?? detectFormat(doc);
      if (!format) {
        paths.push(file);
        continue;
      }
      let result: ImportResult;
      try {
        result = FORMATS[format](doc, { nodeTypes: options.nodeTypes });
      } catch (e) {
        throw new CliError(`${file} is not a ${format} export: ${(e as Error).message}`, 2);
      }
      printImportReport(file, result, out);
      const converted = join(dir, `${basename(file).replace(/\.(json|ya?ml)$/i, '')}.weft.json`);
      writeFileSync(converted, JSON.stringify({ workflows: result.workflows }));
      paths.push(converted);
    }
    if (options.dryRun) {
      out('Dry run: nothing was stored');
      return 0;
    }
    return await importCommand(paths, { workspace: options.workspace }, out, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
