import { SECRET_RULES, scanWorkflow } from '@weft/compliance';
import type { TemplateCredentialSlot, TemplateInput, Workflow } from '@weft/engine';

/** What publishing removed from a workflow, and what installing it will ask for. */
export interface StrippedWorkflow {
  workflow: Workflow;
  /** Every credential slot, with the credential's type (the id itself is gone). */
  credentials: TemplateCredentialSlot[];
  /** Inputs the creator marked, plus one secret input per secret that was removed. */
  inputs: TemplateInput[];
  /** JSON pointers (into the workflow) of the values removed as secrets. */
  removedSecrets: string[];
}

const SECRET_KEY =
  /(^|_|-|\b)(password|passwd|secret|token|api[-_]?key|apikey|private[-_]?key|access[-_]?key|client[-_]?secret|authorization|bearer)$/i;
const decodePointer = (p: string) =>
  p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const encodeToken = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function setAt(root: unknown, tokens: string[], value: unknown): void {
  let at = root as Record<string, unknown>;
  for (const t of tokens.slice(0, -1)) at = at[t] as Record<string, unknown>;
  at[tokens.at(-1) as string] = value;
}

/** Literal text outside `{{ }}` expressions: what could hold a pasted secret. */
const literal = (s: string) => s.replace(/\{\{[\s\S]*?\}\}/g, '').trim();

function* secretKeyValues(value: unknown, pointer: string, key: string): Generator<string> {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && literal(value) !== '') yield pointer;
    else if (SECRET_RULES.some((r) => r.regex.test(literal(value)))) yield pointer;
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* secretKeyValues(v, `${pointer}/${i}`, key);
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // `{ name: 'Authorization', value: 'Bearer ...' }` pairs (headers, fields) name the secret beside it.
    const named = typeof o.name === 'string' && SECRET_KEY.test(o.name) ? o.name : undefined;
    for (const [k, v] of Object.entries(o))
      yield* secretKeyValues(v, `${pointer}/${encodeToken(k)}`, k === 'value' && named ? named : k);
  }
}

/**
 * Prepares a workflow for publishing: drops every node's credential ids (recording each slot's
 * credential type through `credentialType`), the workflow's id, version and error-workflow id,
 * and any pinned data; then blanks every hard-coded secret in node parameters (values under
 * secret-looking keys such as `apiKey` or an `Authorization` header, values matching
 * `@weft/compliance`'s secret rules, high-entropy strings its scanner flags) and turns each into a
 * required secret input the installer must fill.
 *
 * @example
 * ```ts
 * const { workflow, credentials, inputs } = await stripWorkflow(doc, {
 *   credentialType: async (id) => (await vault.describe(ws, id))?.type,
 * });
 * ```
 */
export async function stripWorkflow(
  source: Workflow,
  options: {
    credentialType: (credentialId: string) => Promise<string | undefined> | string | undefined;
    inputs?: TemplateInput[];
  },
): Promise<StrippedWorkflow> {
  const { id: _id, version: _version, ...rest } = structuredClone(source);
  const workflow = rest as Workflow & { pinData?: unknown };
  delete workflow.pinData;
  if (workflow.settings?.errorWorkflow) delete workflow.settings.errorWorkflow;
  const credentials: TemplateCredentialSlot[] = [];
  for (const node of workflow.nodes) {
    for (const [slot, credentialId] of Object.entries(node.credentials ?? {})) {
      const credentialType = (await options.credentialType(credentialId)) ?? 'unknown';
      credentials.push({ nodeId: node.id, slot, credentialType });
    }
    delete node.credentials;
  }
  const pointers = new Set<string>();
  for (const [i, node] of workflow.nodes.entries())
    for (const p of secretKeyValues(node.parameters, `/nodes/${i}/parameters`, '')) pointers.add(p);
  for (const f of scanWorkflow(workflow)) if (f.ruleId.startsWith('secret/')) pointers.add(f.pointer);
  const inputs = [...(options.inputs ?? [])];
  const removedSecrets = [...pointers].sort();
  for (const pointer of removedSecrets) {
    const tokens = decodePointer(pointer);
    setAt(workflow, tokens, '');
    const node = workflow.nodes[Number(tokens[1])];
    if (!node) continue;
    const path = `/${tokens.slice(3).map(encodeToken).join('/')}`;
    if (inputs.some((x) => x.nodeId === node.id && x.path === path)) continue;
    inputs.push({
      key: `${node.id}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      label: `${node.name}: ${tokens.at(-1)}`,
      nodeId: node.id,
      path,
      secret: true,
      required: true,
      description: 'A secret the creator removed before publishing',
    });
  }
  return { workflow, credentials, inputs, removedSecrets };
}
