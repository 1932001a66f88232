import { parseArgs } from 'node:util';
import { builtinNodeTypes, NodeRegistry } from '@weft/engine';
import { ConfigError } from '../config/config-error.js';
import { CliError } from './cli-error.js';
import { keysRotateCommand, migrateCommand, pruneCommand, userCreateCommand } from './maintenance-commands.js';
import { runCommand } from './run-command.js';
import { startCommand } from './start-command.js';
import { exportCommand, importCommand } from './transfer-commands.js';
import { validateCommand } from './validate-command.js';
import { workerCommand } from './worker-command.js';

const USAGE = `Usage: weft <command> [options]

Commands:
  start                                                    run the host (API, webhooks, worker) on WEFT_PORT (3000)
  worker                                                   run a worker that only executes queued jobs
  migrate                                                  apply pending database migrations
  run <workflow.json|yaml> [--input data.json] [--json]   run a workflow in this process
  validate <workflow.json|yaml> [...]                      print every problem of each file
  import <file.json|yaml>... [--workspace id]              import workflows or a workspace export
  export [--workspace id] [--workflow id] [--out file] [--format json|yaml]
  user create --email e --password p [--name n] [--workspace id --role r]
  keys rotate [--to keyId | --generate]                    re-wrap credential data keys with a new master key
  prune [--older-than 30d] [--keep N]                      delete finished executions (and older webhook deliveries) in chunks
  help                                                     show this help

Configuration comes from WEFT_* environment variables (or a file named by WEFT_CONFIG); see host/README.md.`;

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
      case 'start':
        parseArgs({ args: rest, options: {} });
        return await startCommand(io);
      case 'worker':
        parseArgs({ args: rest, options: {} });
        return await workerCommand(io);
      case 'migrate':
        parseArgs({ args: rest, options: {} });
        return await migrateCommand(io.out);
      case 'import': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { workspace: { type: 'string', short: 'w' } },
        });
        return await importCommand(positionals, values, io.out);
      }
      case 'export': {
        const { values } = parseArgs({
          args: rest,
          options: {
            workspace: { type: 'string', short: 'w' },
            workflow: { type: 'string' },
            out: { type: 'string', short: 'o' },
            format: { type: 'string' },
          },
        });
        return await exportCommand(values, io.out);
      }
      case 'user': {
        const [sub, ...args] = rest;
        if (sub !== 'create')
          throw new CliError(
            'Usage: weft user create --email <e> --password <p> [--name n] [--workspace id --role r]',
            2,
          );
        const { values } = parseArgs({
          args,
          options: {
            email: { type: 'string' },
            password: { type: 'string' },
            name: { type: 'string' },
            workspace: { type: 'string' },
            role: { type: 'string' },
          },
        });
        return await userCreateCommand(values, io.out);
      }
      case 'keys': {
        const [sub, ...args] = rest;
        if (sub !== 'rotate') throw new CliError('Usage: weft keys rotate [--to keyId | --generate]', 2);
        const { values } = parseArgs({ args, options: { to: { type: 'string' }, generate: { type: 'boolean' } } });
        return await keysRotateCommand(values, io.out);
      }
      case 'prune': {
        const { values } = parseArgs({
          args: rest,
          options: { 'older-than': { type: 'string' }, keep: { type: 'string' } },
        });
        return await pruneCommand(
          {
            ...(values['older-than'] ? { olderThan: values['older-than'] } : {}),
            ...(values.keep ? { keep: values.keep } : {}),
          },
          io.out,
        );
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
    if (e instanceof ConfigError) {
      io.err(`weft: ${e.message}`);
      return 2;
    }
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
