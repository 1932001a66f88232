import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CliError } from './cli-error.js';

/**
 * Reads a JSON or YAML file (by extension; `.yaml`/`.yml` are YAML) and reports unreadable or
 * malformed files with the file name and position.
 *
 * @example
 * ```ts
 * const workflow = await readDocument('flows/orders.yaml', 'workflow');
 * ```
 */
export async function readDocument(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new CliError(`Cannot read ${what} file ${path}: ${reason}`, 2);
  }
  if (/\.ya?ml$/i.test(path)) {
    try {
      return parseYaml(text);
    } catch (e) {
      throw new CliError(`${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? ` at line ${lineOf(text, Number(m[1]))}` : '';
    throw new CliError(`${path} is not valid JSON${where}: ${(e as Error).message}`, 2);
  }
}

function lineOf(text: string, pos: number): string {
  const before = text.slice(0, pos).split('\n');
  return `${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
