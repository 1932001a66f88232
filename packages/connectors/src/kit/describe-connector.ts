import type { OptionChoice, ParameterFields, ParameterSpec, SideEffects } from '@weft/engine';
import type { ActionDefinition } from './define-action.js';
import { authSchemesOf, type ConnectorDefinition } from './define-connector.js';
import type { TriggerDefinition } from './define-trigger.js';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function typeOf(spec: ParameterSpec): string {
  switch (spec.kind) {
    case 'string':
      return spec.secret ? 'secret text' : spec.multiline ? 'long text' : 'text';
    case 'options':
    case 'multiOptions': {
      const many = spec.kind === 'multiOptions' ? 'one or more of' : 'one of';
      if (Array.isArray(spec.options)) {
        return `${many} ${(spec.options as readonly OptionChoice[]).map((o) => `\`${o.value}\``).join(', ')}`;
      }
      const d = spec.options as { loader: string; searchable?: boolean };
      return `${many} the options from \`${d.loader}\`${d.searchable ? ' (searchable)' : ''}`;
    }
    case 'code':
      return `${spec.language} code`;
    case 'collection':
      return 'group';
    case 'list':
      return 'list of rows';
    case 'credential':
      return `credential (${spec.credentialTypes.join(', ')})`;
    default:
      return spec.kind;
  }
}

/**
 * A markdown table of props (nested groups and lists get their own rows).
 *
 * @example
 * ```ts
 * describeProps({ email: Property.ShortText({ label: 'Email', required: true }) }); // a markdown table
 * ```
 */
export function describeProps(fields: ParameterFields, prefix = ''): string {
  const rows: string[] = [];
  const walk = (f: ParameterFields, p: string) => {
    for (const [name, spec] of Object.entries(f) as [string, ParameterSpec][]) {
      const def = 'default' in spec && spec.default !== undefined ? `\`${JSON.stringify(spec.default)}\`` : '';
      rows.push(
        `| \`${p}${name}\` | ${cell(spec.label)} | ${cell(typeOf(spec))} | ${spec.required ? 'yes' : 'no'} | ${cell(def)} | ${cell(spec.description ?? '')} |`,
      );
      if (spec.kind === 'collection' || spec.kind === 'list') walk(spec.fields, `${p}${name}.`);
    }
  };
  walk(fields, prefix);
  if (rows.length === 0) return '_No properties._';
  return ['| Property | Label | Type | Required | Default | Description |', '|---|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

const SIDE_EFFECTS: Record<SideEffects, string> = {
  none: 'none (safe to re-run)',
  idempotent: 'idempotent (repeating is harmless)',
  once: 'once (not repeated once its checkpoint is written)',
  atMostOnce: 'at most once (never repeated, even when a crash cuts a run short)',
};

/**
 * Markdown for one action (the node type's `docs`).
 *
 * @example
 * ```ts
 * nodeType.docs = describeAction(connector, action);
 * ```
 */
export function describeAction(connector: ConnectorDefinition, action: ActionDefinition): string {
  const lines = [
    `### ${action.displayName} (\`${connector.name}.${action.name}\` v${action.version ?? 1})`,
    '',
    action.description,
    '',
    `Runs ${action.mode === 'batch' ? 'once with all input items' : 'once per input item (once when there is no input)'}. Side effects: ${SIDE_EFFECTS[action.sideEffects]}.`,
    '',
    describeProps(action.props),
  ];
  if (action.docs) lines.push('', action.docs);
  if (action.sample)
    lines.push('', 'Example output item:', '', '```json', JSON.stringify(action.sample, null, 2), '```');
  return lines.join('\n');
}

const FIRES = {
  polling:
    'Polls on an interval and fires once per new item (the first poll only records where it is, unless configured otherwise).',
  webhook: 'Fires once per accepted HTTP request to its webhook URL.',
  schedule: 'Fires once per schedule tick, in exactly one process.',
  event: 'Fires once per matching event on the event bus.',
};

/**
 * Markdown for one trigger (the node type's `docs`).
 *
 * @example
 * ```ts
 * nodeType.docs = describeTrigger(connector, trigger);
 * ```
 */
export function describeTrigger(connector: ConnectorDefinition, trigger: TriggerDefinition): string {
  const lines = [
    `### ${trigger.displayName} (\`${connector.name}.${trigger.name}\` v${trigger.version ?? 1}, ${trigger.kind} trigger)`,
    '',
    trigger.description,
    '',
    FIRES[trigger.kind],
  ];
  if (trigger.kind === 'polling') {
    const d = typeof trigger.dedupe === 'function' ? 'depends on the properties' : `by ${trigger.dedupe.by}`;
    lines.push(`New items are recognised ${d}.`);
  }
  if (trigger.kind === 'webhook') {
    lines.push(
      `Methods: ${(trigger.methods ?? ['POST']).join(', ')}. Response: ${trigger.responseMode ?? 'immediately'}.`,
    );
  }
  if (trigger.kind === 'event')
    lines.push(typeof trigger.event === 'string' ? `Event: \`${trigger.event}\`.` : 'Event: chosen in the properties.');
  lines.push('', describeProps(trigger.props));
  if (trigger.docs) lines.push('', trigger.docs);
  if (trigger.sample?.length)
    lines.push('', 'Example item:', '', '```json', JSON.stringify(trigger.sample[0], null, 2), '```');
  return lines.join('\n');
}

/**
 * Markdown documentation of a whole connector, generated from its definition: credentials,
 * every action and trigger with their properties, side effects and when they fire.
 *
 * @example
 * ```ts
 * await writeFile('docs/connectors/slack.md', describeConnector(slack));
 * ```
 */
export function describeConnector(connector: ConnectorDefinition): string {
  const out = [
    `# ${connector.displayName}`,
    '',
    connector.description,
    '',
    `Connector \`${connector.name}\` ${connector.version}.`,
    '',
  ];
  const schemes = authSchemesOf(connector);
  out.push('## Credentials', '');
  if (schemes.length === 0) out.push('None needed.', '');
  for (const s of schemes) {
    out.push(`### ${s.displayName} (\`${s.type}\`, ${s.kind})`, '');
    if (s.description) out.push(s.description, '');
    if (s.kind === 'oauth2')
      out.push(`Grant: ${s.grant}; scopes: ${s.scopes.map((x) => `\`${x}\``).join(', ') || 'none'}.`, '');
    out.push(describeProps(s.fields), '');
  }
  if (connector.actions.length)
    out.push('## Actions', '', ...connector.actions.map((a) => `${describeAction(connector, a)}\n`));
  if (connector.triggers?.length)
    out.push('## Triggers', '', ...connector.triggers.map((t) => `${describeTrigger(connector, t)}\n`));
  return `${out.join('\n').trimEnd()}\n`;
}
