import type { TemplateVersion, Workflow } from '@weft/engine';
import { MarketplaceError, type MarketplaceFieldIssue } from './marketplace-error.js';

/** What the installer chose: a credential id per credential type, and a value per input key. */
export interface InstallChoices {
  credentials: Record<string, string>;
  inputs: Record<string, unknown>;
  /** Name of the new workflow (default: the template's). */
  name?: string;
}

function setParameter(parameters: Record<string, unknown>, path: string, value: unknown): void {
  const tokens = path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: Record<string, unknown> = parameters;
  for (const [i, t] of tokens.entries()) {
    if (i === tokens.length - 1) at[t] = value;
    else {
      if (at[t] === null || typeof at[t] !== 'object') at[t] = /^\d+$/.test(tokens[i + 1] ?? '') ? [] : {};
      at = at[t] as Record<string, unknown>;
    }
  }
}

/**
 * Builds the workflow an install creates: the version's workflow with each credential slot bound
 * to the chosen credential of its type and each input's value (or default) written into its
 * node's parameters. Refuses, naming every field, when a credential type has no choice or a
 * required input has no value.
 *
 * @example
 * ```ts
 * const workflow = instantiateTemplate(version, {
 *   credentials: { 'slack.bot': 'cred_1' },
 *   inputs: { channel: '#alerts' },
 * });
 * ```
 */
export function instantiateTemplate(version: TemplateVersion, choices: InstallChoices): Workflow {
  const workflow = structuredClone(version.workflow);
  if (choices.name) workflow.name = choices.name;
  const errors: MarketplaceFieldIssue[] = [];
  const nodes = new Map(workflow.nodes.map((n) => [n.id, n]));
  for (const slot of version.credentials) {
    const credentialId = choices.credentials[slot.credentialType];
    const node = nodes.get(slot.nodeId);
    if (!credentialId) {
      if (!errors.some((e) => e.path === `/credentials/${slot.credentialType}`))
        errors.push({
          path: `/credentials/${slot.credentialType}`,
          message: `Choose or create a ${slot.credentialType} credential`,
        });
    } else if (node) node.credentials = { ...node.credentials, [slot.slot]: credentialId };
  }
  for (const input of version.inputs) {
    const given = Object.hasOwn(choices.inputs, input.key) ? choices.inputs[input.key] : input.default;
    const node = nodes.get(input.nodeId);
    if (given === undefined || given === '') {
      if (input.required) errors.push({ path: `/inputs/${input.key}`, message: `${input.label} is required` });
      continue;
    }
    if (node) setParameter(node.parameters, input.path, given);
  }
  if (errors.length)
    throw new MarketplaceError('invalid-input', 'install-incomplete', 'The install needs more choices', { errors });
  return workflow;
}

/** The value at RFC 6901 pointer `path` under `root`, or undefined. */
export function readPointer(root: unknown, path: string): unknown {
  let at = root;
  for (const t of path.split('/').slice(1)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[t.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}
