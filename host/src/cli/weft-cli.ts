import { parseArgs } from 'node:util';
import { builtinNodeTypes, NodeRegistry } from '@weft/engine';
import { CliError } from './cli-error.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';

const USAGE = `Usage: weft <command> [options]

Commands:
  run <workflow.json|yaml> [--input data.json] [--json]   run a workflow in this process
  validate <workflow.json|yaml> [...]                      print every problem of each file
  help                                                     show this help`;

/** The node types the CLI knows. */
export function defaultRegistry(): NodeRegistry {
  return new NodeRegistry().register(...builtinNodeTypes);
}

/**
 * Runs the `weft` command line and returns its exit code. Errors the user can fix are printed as
 * one line; nothing prints a stack trace.
 *
 * @example
 * ```ts
 * process.exitCode = await weftCli(process.argv.slice(2));
 * ```
 */
export async function weftCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { input: { type: 'string', short: 'i' }, json: { type: 'boolean' } },
        });
        const file = positionals[0];
        if (!file || positionals.length > 1)
          throw new CliError('Usage: weft run <workflow.json|yaml> [--input data.json] [--json]', 2);
        return await runCommand({
          file,
          registry: defaultRegistry(),
          out: io.out,
          ...(values.input ? { input: values.input } : {}),
          ...(values.json ? { json: true } : {}),
        });
      }
      case 'validate': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
        return await validateCommand(positionals, defaultRegistry(), io.out);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`Unknown command "${command}"\n${USAGE}`, 2);
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`weft: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`weft: ${e.message}`);
      return 2;
    }
    io.err(`weft: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
