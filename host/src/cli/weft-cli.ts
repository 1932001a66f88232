import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { NodeRegistry } from '@weft/engine';
import { ConfigError } from '../config/config-error.js';
import { hostNodeTypes } from '../runtime/host-node-types.js';
import { aiGenerateCommand } from './ai-generate-command.js';
import { auditArchiveCommand, auditArchivesCommand, auditRotateKeyCommand } from './audit-retention-commands.js';
import { auditVerifyCommand } from './audit-verify-command.js';
import { backupCommand, restoreCommand } from './backup-commands.js';
import { CliError } from './cli-error.js';
import { importFromCommand } from './import-from-command.js';
import { keysRotateCommand, migrateCommand, pruneCommand, userCreateCommand } from './maintenance-commands.js';
import { runCommand } from './run-command.js';
import { scanCommand } from './scan-command.js';
import { startCommand } from './start-command.js';
import { testCommand } from './test-command.js';
import { exportCommand } from './transfer-commands.js';
import { validateCommand } from './validate-command.js';
import { workerCommand } from './worker-command.js';
import { exportWorkspaceCommand, importWorkspaceCommand } from './workspace-bundle-commands.js';
import { createWorkspaceCommand } from './workspace-create-command.js';

type Io = { out: (line: string) => void; err: (line: string) => void };
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  positionals?: boolean;
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

const COMMANDS: Record<string, Command> = {
  start: {
    usage: 'start',
    summary: 'run the host (API, webhooks, worker) on WEFT_PORT (3000)',
    run: (_v, _p, io) => startCommand(io),
  },
  worker: {
    usage: 'worker',
    summary: 'run a worker that only executes queued jobs',
    run: (_v, _p, io) => workerCommand(io),
  },
  migrate: {
    usage: 'migrate',
    summary: 'apply pending database migrations',
    run: (_v, _p, io) => migrateCommand(io.out),
  },
  run: {
    usage: 'run <workflow.json|yaml> [--input data.json] [--json]',
    summary: 'run a workflow in this process',
    options: { input: { type: 'string', short: 'i' }, json: { type: 'boolean' } },
    positionals: true,
    run: (values, positionals, io) => {
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new CliError(`Usage: weft ${COMMANDS.run?.usage}`, 2);
      return runCommand({
        file,
        registry: defaultRegistry(),
        out: io.out,
        input: str(values.input),
        json: values.json === true,
      });
    },
  },
  validate: {
    usage: 'validate <workflow.json|yaml> [...]',
    summary: 'print every problem of each file',
    positionals: true,
    run: (_v, positionals, io) => validateCommand(positionals, defaultRegistry(), io.out),
  },
  test: {
    usage: 'test <workflow file or id> [--suite file] [--reporter junit|tap|json] [--workspace id]',
    summary: "run a workflow's test suite; exit code 1 when a case fails",
    options: { suite: { type: 'string' }, reporter: { type: 'string' }, workspace: { type: 'string', short: 'w' } },
    positionals: true,
    run: (v, positionals, io) => {
      const target = positionals[0];
      if (!target || positionals.length > 1) throw new CliError(`Usage: weft ${COMMANDS.test?.usage}`, 2);
      return testCommand({
        target,
        suite: str(v.suite),
        reporter: str(v.reporter),
        workspace: str(v.workspace),
        registry: defaultRegistry(),
        out: io.out,
      });
    },
  },
  import: {
    usage: 'import <file.json|yaml>... [--from n8n|node-red] [--workspace id] [--dry-run]',
    summary: 'import workflows, a workspace export, or n8n / Node-RED exports (converted, with a report)',
    options: { workspace: { type: 'string', short: 'w' }, from: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
    run: (values, positionals, io) =>
      importFromCommand(
        positionals,
        {
          from: str(values.from),
          workspace: str(values.workspace),
          dryRun: values['dry-run'] === true,
          nodeTypes: defaultRegistry(),
        },
        io.out,
      ),
  },
  export: {
    usage: 'export [--workspace id] [--workflow id] [--out file] [--format json|yaml]',
    summary: 'export one workflow or a whole workspace',
    options: {
      workspace: { type: 'string', short: 'w' },
      workflow: { type: 'string' },
      out: { type: 'string', short: 'o' },
      format: { type: 'string' },
    },
    run: (v, _p, io) =>
      exportCommand(
        { workspace: str(v.workspace), workflow: str(v.workflow), out: str(v.out), format: str(v.format) },
        io.out,
      ),
  },
  'user create': {
    usage: 'user create --email e --password p [--name n] [--workspace id --role r]',
    summary: 'create a user, optionally adding them to a workspace',
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      workspace: { type: 'string' },
      role: { type: 'string' },
    },
    run: (v, _p, io) =>
      userCreateCommand(
        {
          email: str(v.email),
          password: str(v.password),
          name: str(v.name),
          workspace: str(v.workspace),
          role: str(v.role),
        },
        io.out,
      ),
  },
  'create-workspace': {
    usage: 'create-workspace --name n --owner email [--region r] [--examples]',
    summary: 'create a workspace owned by a user, in a region (WEFT_REGIONS); --examples seeds the examples there',
    options: {
      name: { type: 'string' },
      owner: { type: 'string' },
      region: { type: 'string' },
      examples: { type: 'boolean' },
    },
    run: (v, _p, io) =>
      createWorkspaceCommand(
        { name: str(v.name), owner: str(v.owner), region: str(v.region), examples: v.examples === true },
        io.out,
      ),
  },
  'audit verify': {
    usage: 'audit verify [--workspace id] [--json]',
    summary: 'check every link and signed checkpoint of the audit log; exit 1 naming the first broken entry',
    options: { workspace: { type: 'string' }, json: { type: 'boolean' } },
    run: (v, _p, io) => auditVerifyCommand({ workspace: str(v.workspace), json: v.json === true }, io.out),
  },
  scan: {
    usage: 'scan <workflow file | workflow id> [--workspace id] [--format text|json|sarif] [--fail-on high]',
    summary: 'security-scan a workflow (secrets, open webhooks, SSRF, risky code); exit 1 at --fail-on',
    options: { workspace: { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' } },
    positionals: true,
    run: (v, positionals, io) => {
      const target = positionals[0];
      if (!target || positionals.length > 1) throw new CliError(`Usage: weft ${COMMANDS.scan?.usage}`, 2);
      return scanCommand(
        { target, workspace: str(v.workspace), format: str(v.format), failOn: str(v['fail-on']) },
        defaultRegistry(),
        io.out,
      );
    },
  },
  'audit archive': {
    usage: 'audit archive --workspace id (--through N | --older-than 90d) [--out file]',
    summary: 'move old audit entries into a signed bundle (compliance-docs bucket or --out) and prune them',
    options: {
      workspace: { type: 'string' },
      through: { type: 'string' },
      'older-than': { type: 'string' },
      out: { type: 'string' },
    },
    run: (v, _p, io) =>
      auditArchiveCommand(
        { workspace: str(v.workspace), through: str(v.through), olderThan: str(v['older-than']), out: str(v.out) },
        io.out,
      ),
  },
  'audit archives': {
    usage: 'audit archives --workspace id',
    summary: 'list audit archives and check each bundle against its signed statement',
    options: { workspace: { type: 'string' } },
    run: (v, _p, io) => auditArchivesCommand({ workspace: str(v.workspace) }, io.out),
  },
  'audit rotate-key': {
    usage: 'audit rotate-key',
    summary: 'retire the audit signing key (it keeps verifying) and generate a new one',
    run: (_v, _p, io) => auditRotateKeyCommand(io.out),
  },
  'keys rotate': {
    usage: 'keys rotate [--to keyId | --generate]',
    summary: 're-wrap credential, payload and subject data keys with a new master key (online, resumable)',
    options: { to: { type: 'string' }, generate: { type: 'boolean' } },
    run: (v, _p, io) => keysRotateCommand({ to: str(v.to), generate: v.generate === true }, io.out),
  },
  'ai generate': {
    usage: 'ai generate "<prompt>" [--out file] [--model-url url --model name]',
    summary: 'generate a workflow from a request in plain words (offline unless a model is given)',
    options: { out: { type: 'string', short: 'o' }, 'model-url': { type: 'string' }, model: { type: 'string' } },
    positionals: true,
    run: (v, positionals, io) =>
      aiGenerateCommand(
        {
          prompt: positionals.join(' '),
          out: str(v.out),
          modelUrl: str(v['model-url']),
          model: str(v.model),
          apiKey: process.env.WEFT_AI_API_KEY,
        },
        defaultRegistry(),
        io,
      ),
  },
  backup: {
    usage: 'backup [--region r] [--out weft-backup.tar.gz]',
    summary:
      'back up the database and blobs (to a file, or the backups bucket; each region to its own); safe while running',
    options: { out: { type: 'string' }, region: { type: 'string' } },
    run: (v, _p, io) => backupCommand({ out: str(v.out), region: str(v.region) }, io.out),
  },
  restore: {
    usage: 'restore <backup.tar.gz> | --key <backups bucket key> [--region r] [--force]',
    summary: 'restore a backup into the configured database and blobs (host stopped), then verify it',
    options: { key: { type: 'string' }, region: { type: 'string' }, force: { type: 'boolean' } },
    positionals: true,
    run: (v, p, io) =>
      restoreCommand({ file: p[0], key: str(v.key), region: str(v.region), force: v.force === true }, io.out),
  },
  'export-workspace': {
    usage: 'export-workspace --workspace id --out bundle.json [--passphrase-file f]',
    summary: 'export a workspace with members and credentials (sealed by WEFT_BUNDLE_PASSPHRASE) to one file',
    options: {
      workspace: { type: 'string', short: 'w' },
      out: { type: 'string', short: 'o' },
      'passphrase-file': { type: 'string' },
    },
    run: (v, _p, io) =>
      exportWorkspaceCommand(
        { workspace: str(v.workspace), out: str(v.out), passphraseFile: str(v['passphrase-file']) },
        io.out,
      ),
  },
  'import-workspace': {
    usage: 'import-workspace <bundle.json> (--workspace id | --owner email [--region r]) [--passphrase-file f]',
    summary: 'import a workspace bundle: credentials re-encrypted here, members matched by email or invited',
    options: {
      workspace: { type: 'string', short: 'w' },
      owner: { type: 'string' },
      region: { type: 'string' },
      'passphrase-file': { type: 'string' },
    },
    positionals: true,
    run: (v, p, io) => {
      if (p.length > 1) throw new CliError(`Usage: weft ${COMMANDS['import-workspace']?.usage}`, 2);
      return importWorkspaceCommand(
        {
          file: p[0],
          workspace: str(v.workspace),
          owner: str(v.owner),
          region: str(v.region),
          passphraseFile: str(v['passphrase-file']),
        },
        io.out,
      );
    },
  },
  prune: {
    usage: 'prune [--older-than 30d] [--keep N]',
    summary: 'delete finished executions (and older webhook deliveries) in chunks',
    options: { 'older-than': { type: 'string' }, keep: { type: 'string' } },
    run: (v, _p, io) => pruneCommand({ olderThan: str(v['older-than']), keep: str(v.keep) }, io.out),
  },
};

const USAGE = `Usage: weft <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.padEnd(72)} ${c.summary}`)
  .join('\n')}
  ${'help [command]'.padEnd(72)} show this help, or a command's

Every command takes --help; weft --version prints the version.
Configuration comes from WEFT_* environment variables (or a file named by WEFT_CONFIG); see host/README.md.`;

const commandHelp = (c: Command) => `Usage: weft ${c.usage}\n\n${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.`;

/** The version of the host package (`weft --version`). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Finds the command `argv` names (`user create` is two words) and the arguments after it;
 * `incomplete` is the command a lone first word (`weft user`) can only mean.
 */
function lookup(argv: string[]): { command?: Command; incomplete?: Command; args: string[] } {
  const [first = '', second, ...more] = argv;
  const pair = COMMANDS[`${first} ${second}`];
  if (pair) return { command: pair, args: more };
  const args = argv.slice(1);
  const single = COMMANDS[first];
  if (single) return { command: single, args };
  const incomplete = Object.entries(COMMANDS).find(([k]) => k.startsWith(`${first} `))?.[1];
  return incomplete ? { incomplete, args } : { args };
}

/** The node types the CLI knows: the host's whole catalogue (built-ins and every built-in connector). */
export function defaultRegistry(): NodeRegistry {
  return new NodeRegistry().register(...hostNodeTypes());
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
  io: Io = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.out(USAGE);
      return 2;
    }
    if (first === '--version' || first === '-v' || first === 'version') {
      io.out(version());
      return 0;
    }
    if (first === 'help' || first === '--help' || first === '-h') {
      const { command, incomplete } = lookup(rest);
      const about = command ?? incomplete;
      io.out(about ? commandHelp(about) : USAGE);
      return 0;
    }
    const { command, incomplete, args } = lookup(argv);
    if (!command) {
      if (!incomplete) throw new CliError(`Unknown command "${first}"\n${USAGE}`, 2);
      if (args.includes('--help') || args.includes('-h')) {
        io.out(commandHelp(incomplete));
        return 0;
      }
      throw new CliError(`Usage: weft ${incomplete.usage}`, 2);
    }
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: command.positionals ?? false,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof CliError) {
      io.err(`weft: ${e.message}`);
      return e instanceof CliError ? e.exitCode : 2;
    }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`weft: ${e.message}`);
      return 2;
    }
    io.err(`weft: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
