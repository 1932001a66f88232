import { writeFileSync } from 'node:fs';
import { stringify as toYaml } from 'yaml';
import { HostError } from '../runtime/host-error.js';
import { allWorkflows, exportDocument, saveWorkflow, setWorkflowActive } from '../workflows/workflow-service.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { readDocument } from './read-document.js';

type Env = Record<string, string | undefined>;
type Out = (line: string) => void;

async function workspaceOf(
  rt: Parameters<Parameters<typeof withRuntime>[1]>[0],
  given: string | undefined,
): Promise<string> {
  if (given) {
    if (!(await rt.identity.workspace(given))) throw new CliError(`Workspace "${given}" not found`, 1);
    return given;
  }
  const ids = await rt.identity.listWorkspaceIds();
  if (ids.length !== 1)
    throw new CliError(
      `Pass --workspace <id> (this host has ${ids.length} workspaces: ${ids.slice(0, 5).join(', ')})`,
      2,
    );
  return ids[0] as string;
}

/**
 * `weft import <file...>`: imports workflow files (JSON/YAML): one workflow, or a workspace export
 * `{ workflows: [...] }`. Existing ids get a new version. Prints progress per workflow.
 */
export async function importCommand(
  files: string[],
  options: { workspace?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!files.length) throw new CliError('Usage: weft import <file.json|yaml>... [--workspace <id>]', 2);
  const docs: Array<{ file: string; doc: Record<string, unknown> }> = [];
  for (const file of files) {
    const doc = await readDocument(file, 'import');
    const list =
      doc && typeof doc === 'object' && Array.isArray((doc as { workflows?: unknown }).workflows)
        ? (doc as { workflows: unknown[] }).workflows
        : [doc];
    for (const w of list) {
      if (!w || typeof w !== 'object' || Array.isArray(w))
        throw new CliError(`${file}: every workflow must be an object`, 2);
      docs.push({ file, doc: w as Record<string, unknown> });
    }
  }
  return withRuntime(env, async (rt) => {
    const ws = await workspaceOf(rt, options.workspace);
    let i = 0;
    for (const { file, doc } of docs) {
      const { active, ...wf } = doc;
      try {
        const stored = await saveWorkflow(rt, ws, wf, { mode: 'upsert' });
        if (active === true) await setWorkflowActive(rt, ws, stored.id, true);
        out(
          `  [${++i}/${docs.length}] ${stored.workflow.name} (${stored.id}) → version ${stored.version}${active === true ? ', active' : ''}`,
        );
      } catch (e) {
        if (e instanceof HostError) {
          const where = e.details.errors?.map((p) => `${p.path}: ${p.message}`).join('; ');
          throw new CliError(
            `${file}: ${String(doc.name ?? doc.id ?? 'workflow')}: ${e.message}${where ? ` (${where})` : ''}`,
            1,
          );
        }
        throw e;
      }
    }
    out(`Imported ${docs.length} workflow${docs.length === 1 ? '' : 's'} into workspace ${ws}`);
    return 0;
  });
}

/** `weft export [--workflow id] [--out file.yaml]`: one workflow or the whole workspace, as JSON or YAML. */
export async function exportCommand(
  options: { workspace?: string; workflow?: string; out?: string; format?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  const format = options.format ?? (options.out && /\.ya?ml$/i.test(options.out) ? 'yaml' : 'json');
  if (format !== 'json' && format !== 'yaml') throw new CliError(`--format must be json or yaml, got "${format}"`, 2);
  return withRuntime(env, async (rt) => {
    const ws = await workspaceOf(rt, options.workspace);
    let doc: unknown;
    if (options.workflow) {
      const stored = await rt.engine.workflows.get(ws, options.workflow);
      if (!stored) throw new CliError(`Workflow "${options.workflow}" not found in workspace ${ws}`, 1);
      doc = exportDocument(stored);
    } else {
      const workspace = await rt.identity.workspace(ws);
      doc = {
        weft: 1,
        workspace: { id: ws, name: workspace?.name },
        workflows: (await allWorkflows(rt, ws)).map(exportDocument),
      };
    }
    const text = format === 'yaml' ? toYaml(doc) : `${JSON.stringify(doc, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, text);
      const n = options.workflow ? 1 : (doc as { workflows: unknown[] }).workflows.length;
      out(`Exported ${n} workflow${n === 1 ? '' : 's'} to ${options.out}`);
    } else out(text.trimEnd());
    return 0;
  });
}
