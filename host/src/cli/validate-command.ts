import { type NodeRegistry, type ValidationProblem, validateWorkflow, type Workflow } from '@weft/engine';
import { CliError } from './cli-error.js';
import { readDocument } from './read-document.js';

/** Formats validation problems, one per line: `file#/pointer: message` (the pointer once). */
export function formatProblems(path: string, problems: ValidationProblem[]): string {
  return problems
    .map((p) => {
      const message = p.message.startsWith(`${p.path}: `) ? p.message.slice(p.path.length + 2) : p.message;
      return `${path}${p.path === '/' ? '' : `#${p.path}`}: ${message}`;
    })
    .join('\n');
}

/**
 * Loads a workflow file and validates it; throws a {@link CliError} listing every problem.
 *
 * @example
 * ```ts
 * const workflow = await loadValidWorkflow('order.json', registry);
 * ```
 */
export async function loadValidWorkflow(path: string, registry: NodeRegistry): Promise<Workflow> {
  const doc = await readDocument(path, 'workflow');
  const { problems } = validateWorkflow(doc, registry);
  if (problems.length) {
    throw new CliError(
      `${formatProblems(path, problems)}\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${path}`,
      1,
    );
  }
  return doc as Workflow;
}

/** `weft validate <file...>`: prints every problem of each file; exit code 1 when any. */
export async function validateCommand(
  paths: string[],
  registry: NodeRegistry,
  out: (line: string) => void,
): Promise<number> {
  if (paths.length === 0) throw new CliError('Usage: weft validate <workflow.json|yaml> [...more]', 2);
  let failed = 0;
  for (const path of paths) {
    try {
      await loadValidWorkflow(path, registry);
      out(`${path}: valid`);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      out(e.message);
      failed++;
    }
  }
  return failed ? 1 : 0;
}
