import type { Item, JsonValue, ParameterFields, ParameterSpec } from '@weft/engine';
import { html, nothing, type TemplateResult } from 'lit';
import { JSON_PATH_MIME } from '../execution-view/render-json.js';
import type { PathSuggestion } from '../expressions/json-paths.js';
import { fromExpression, toExpression } from './expression-mode.js';
import type { OptionsLoader } from './weft-options-select.js';

/** A credential the picker can offer (never its secret). */
export interface CredentialOption {
  id: string;
  name: string;
  type: string;
}

/** What the form renderer needs besides the specs and values. */
export interface FormContext {
  idPrefix: string;
  readonly: boolean;
  credentials: readonly CredentialOption[];
  suggestions: readonly PathSuggestion[];
  items: Item[];
  nodes: Record<string, Item[]>;
  /** Fields switched to expression mode (kept while their text is being edited). */
  expressionPaths: Set<string>;
  /** Called with the path of the changed value (`['fields', 0, 'name']`) and the new value. */
  onChange(path: (string | number)[], value: unknown): void;
  /** Moves focus into the expression field of a path (`fields.0.value`) once it is rendered. */
  focusExpression(key: string): void;
  /** A loader for a dynamic dropdown (its values are the dropdown's siblings); none: a text field. */
  optionsLoader?: ((loader: string, values: Record<string, unknown>) => OptionsLoader) | undefined;
  /** The values next to the field being rendered (set by {@link renderFields}). */
  values?: Record<string, unknown>;
  /** Changes when dynamic options must load again (e.g. the chosen credential). */
  optionsKey?: string;
  /** Offers "Create new credential…" in credential pickers; called with the accepted types. */
  onCreateCredential?: ((types: readonly string[], path: (string | number)[]) => void) | undefined;
}

/** The value of the "create new" entry of credential pickers. */
export const CREATE_CREDENTIAL = '__create__';

/**
 * Whether a parameter shows, given the values of its siblings (`displayOptions.show/hide`).
 *
 * @example
 * ```ts
 * isShown({ kind: 'string', label: 'Body', displayOptions: { show: { method: ['POST'] } } }, { method: 'GET' }); // false
 * ```
 */
export function isShown(spec: ParameterSpec, values: Record<string, unknown>): boolean {
  const d = spec.displayOptions;
  if (!d) return true;
  for (const [k, allowed] of Object.entries(d.show ?? {})) {
    if (!allowed.some((v) => JSON.stringify(v) === JSON.stringify(values[k] ?? null))) return false;
  }
  for (const [k, banned] of Object.entries(d.hide ?? {})) {
    if (banned.some((v) => JSON.stringify(v) === JSON.stringify(values[k] ?? null))) return false;
  }
  return true;
}

const SCALAR = new Set(['string', 'number', 'boolean', 'dateTime', 'options']);

function isExpression(v: unknown): v is string {
  return typeof v === 'string' && v.includes('{{');
}

/**
 * Form controls for a set of parameter specs: text, numbers, switches, selects, JSON and code
 * editors, credential pickers, nested collections and lists of rows. Scalar fields that allow
 * expressions get a Fixed/Expression toggle and, in expression mode, `<weft-expression-input>`.
 *
 * @example
 * ```ts
 * html`<form>${renderFields(type.parameters, node.parameters, [], ctx)}</form>`;
 * ```
 */
export function renderFields(
  fields: ParameterFields,
  values: Record<string, unknown>,
  path: (string | number)[],
  ctx: FormContext,
): TemplateResult[] {
  return Object.entries(fields)
    .filter(([, spec]) => isShown(spec, values))
    .map(([key, spec]) => renderField(key, spec, values[key], [...path, key], { ...ctx, values }));
}

function renderField(
  key: string,
  spec: ParameterSpec,
  value: unknown,
  path: (string | number)[],
  ctx: FormContext,
): TemplateResult {
  const id = `${ctx.idPrefix}-${path.join('-')}`;
  const canExpress = SCALAR.has(spec.kind) && spec.expressions !== false;
  const key2 = path.join('.');
  // An expression stays one while it is edited, even when its braces are deleted on the way.
  if (canExpress && isExpression(value)) ctx.expressionPaths.add(key2);
  const expr = canExpress && ctx.expressionPaths.has(key2);
  const label = html`<label for=${id}>${spec.label}${spec.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>`;
  const toggle = canExpress
    ? html`<button
        type="button"
        class="mode"
        ?disabled=${ctx.readonly}
        aria-pressed=${expr ? 'true' : 'false'}
        aria-label=${`fx: use an expression for ${spec.label}`}
        @click=${() => {
          if (expr) ctx.expressionPaths.delete(key2);
          else {
            ctx.expressionPaths.add(key2);
            ctx.focusExpression(key2);
          }
          const next = expr ? fromExpression(String(value ?? '')) : toExpression(value);
          ctx.onChange(path, next === '' ? undefined : next);
        }}
      >
        fx
      </button>`
    : nothing;
  const help = spec.description ? html`<small id=${`${id}-help`}>${spec.description}</small>` : nothing;
  // Fields dragged from the input/output view: text fields take the dropped `{{ $json.path }}` as typed
  // text (which switches them to an expression); other scalar fields become that expression.
  const onDrop = (e: DragEvent) => {
    const dropped = e.dataTransfer?.getData(JSON_PATH_MIME);
    if (!dropped || !canExpress || expr || spec.kind === 'string' || ctx.readonly) return;
    e.preventDefault();
    ctx.expressionPaths.add(key2);
    ctx.onChange(path, `{{ ${dropped} }}`);
  };
  const onDragOver = (e: DragEvent) => {
    if (canExpress && !expr && spec.kind !== 'string' && e.dataTransfer?.types.includes(JSON_PATH_MIME))
      e.preventDefault();
  };
  return html`<div class="field" data-param=${key} part="field" @dragover=${onDragOver} @drop=${onDrop}>
    <div class="field-head">${label}${toggle}</div>
    ${expr ? renderExpression(id, spec, String(value ?? ''), path, ctx) : renderControl(id, spec, value, path, ctx)} ${help}
  </div>`;
}

function renderExpression(id: string, spec: ParameterSpec, value: string, path: (string | number)[], ctx: FormContext) {
  return html`<weft-expression-input
    id=${id}
    data-path=${path.join('.')}
    .label=${spec.label}
    .value=${value}
    .items=${ctx.items}
    .nodes=${ctx.nodes}
    .suggestions=${ctx.suggestions}
    .readonly=${ctx.readonly}
    @value-change=${(e: CustomEvent<{ value: string }>) => ctx.onChange(path, e.detail.value)}
  ></weft-expression-input>`;
}

// Typing {{ switches a text field to expression mode; focus follows, so the rest of what is typed lands there.
function onText(spec: ParameterSpec, path: (string | number)[], text: string, ctx: FormContext): void {
  if (text.includes('{{') && spec.expressions !== false) {
    ctx.expressionPaths.add(path.join('.'));
    ctx.focusExpression(path.join('.'));
  }
  ctx.onChange(path, text);
}

function renderControl(
  id: string,
  spec: ParameterSpec,
  value: unknown,
  path: (string | number)[],
  ctx: FormContext,
): TemplateResult {
  const ro = ctx.readonly;
  const described = spec.description ? `${id}-help` : '';
  switch (spec.kind) {
    case 'string':
    case 'dateTime': {
      const v = (value as string | undefined) ?? spec.default ?? '';
      if (spec.kind === 'string' && spec.multiline) {
        return html`<textarea id=${id} aria-describedby=${described} .value=${v} ?readonly=${ro} placeholder=${spec.placeholder ?? ''}
          @input=${(e: Event) => onText(spec, path, (e.target as HTMLTextAreaElement).value, ctx)}></textarea>`;
      }
      return html`<input id=${id} aria-describedby=${described}
        type=${spec.kind === 'dateTime' ? 'datetime-local' : spec.secret ? 'password' : 'text'}
        .value=${v} ?readonly=${ro} ?required=${spec.required} placeholder=${spec.placeholder ?? ''}
        @input=${(e: Event) => onText(spec, path, (e.target as HTMLInputElement).value, ctx)} />`;
    }
    case 'number':
      return html`<input id=${id} aria-describedby=${described} type="number" .value=${String(value ?? spec.default ?? '')}
        min=${spec.min ?? nothing} max=${spec.max ?? nothing} step=${spec.integer ? '1' : 'any'} ?readonly=${ro}
        @input=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          ctx.onChange(path, raw === '' ? undefined : Number(raw));
        }} />`;
    case 'boolean':
      return html`<input id=${id} aria-describedby=${described} type="checkbox" role="switch"
        .checked=${Boolean(value ?? spec.default ?? false)} ?disabled=${ro}
        @change=${(e: Event) => ctx.onChange(path, (e.target as HTMLInputElement).checked)} />`;
    case 'options':
    case 'multiOptions': {
      if (!Array.isArray(spec.options)) {
        const dynamic = spec.options as { loader: string; dependsOn?: string[] };
        if (ctx.optionsLoader) {
          const deps = (dynamic.dependsOn ?? []).map((k) => ctx.values?.[k]);
          return html`<weft-options-select id=${id} .label=${spec.label} ?multiple=${spec.kind === 'multiOptions'}
            ?readonly=${ro} .value=${value as string | string[] | undefined}
            .load=${ctx.optionsLoader(dynamic.loader, ctx.values ?? {})}
            .key=${`${ctx.optionsKey ?? ''}|${JSON.stringify(deps)}`}
            @value-change=${(e: CustomEvent<{ value: unknown }>) => ctx.onChange(path, e.detail.value)}></weft-options-select>`;
        }
        return html`<input id=${id} type="text" aria-describedby=${described} .value=${String(value ?? '')} ?readonly=${ro}
          placeholder=${`Loaded by ${(spec.options as { loader: string }).loader}`}
          @input=${(e: Event) => ctx.onChange(path, (e.target as HTMLInputElement).value)} />`;
      }
      const multi = spec.kind === 'multiOptions';
      const selected = new Set(
        multi ? ((value as string[] | undefined) ?? spec.default ?? []) : [value ?? spec.default],
      );
      return html`<select id=${id} aria-describedby=${described} ?multiple=${multi} ?disabled=${ro}
        @change=${(e: Event) => {
          const el = e.target as HTMLSelectElement;
          ctx.onChange(path, multi ? [...el.selectedOptions].map((o) => o.value) : el.value);
        }}>
        ${multi ? nothing : html`<option value="" ?selected=${!selected.size || selected.has(undefined)}>—</option>`}
        ${spec.options.map((o) => html`<option value=${o.value} ?selected=${selected.has(o.value)} title=${o.description ?? ''}>${o.label}</option>`)}
      </select>`;
    }
    case 'credential': {
      const options = ctx.credentials.filter((c) => spec.credentialTypes.includes(c.type));
      return html`<select id=${id} aria-describedby=${described} ?disabled=${ro}
        @change=${(e: Event) => {
          const el = e.target as HTMLSelectElement;
          if (el.value === CREATE_CREDENTIAL) {
            el.value = String(value ?? '');
            ctx.onCreateCredential?.(spec.credentialTypes, path);
          } else ctx.onChange(path, el.value || undefined);
        }}>
        <option value="">${options.length ? 'Choose a credential…' : `No ${spec.credentialTypes.join('/')} credentials`}</option>
        ${options.map((c) => html`<option value=${c.id} ?selected=${c.id === value}>${c.name}</option>`)}
        ${ctx.onCreateCredential ? html`<option value=${CREATE_CREDENTIAL}>+ Create new credential…</option>` : nothing}
      </select>`;
    }
    case 'json':
      return html`<weft-code-editor id=${id} language="json" .label=${spec.label} ?readonly=${ro}
        .value=${JSON.stringify(value ?? spec.default, null, 2) ?? ''}
        @value-change=${(e: CustomEvent<{ value: string }>) => {
          // An optional JSON field left empty stays unset (it showed and sent \`null\`).
          if (e.detail.value.trim() === '') {
            ctx.onChange(path, undefined);
            return;
          }
          try {
            ctx.onChange(path, JSON.parse(e.detail.value) as JsonValue);
          } catch {
            /* keep the last valid JSON until the text parses again */
          }
        }}></weft-code-editor>`;
    case 'code':
      return html`<weft-code-editor id=${id} .language=${spec.language} .label=${spec.label} ?readonly=${ro}
        .value=${(value as string | undefined) ?? spec.default ?? ''} .completions=${ctx.suggestions}
        @value-change=${(e: CustomEvent<{ value: string }>) => ctx.onChange(path, e.detail.value)}></weft-code-editor>`;
    case 'file':
      return html`<input id=${id} aria-describedby=${described} type="text" placeholder="Binary property name"
        .value=${String(value ?? '')} ?readonly=${ro}
        @input=${(e: Event) => ctx.onChange(path, (e.target as HTMLInputElement).value)} />`;
    case 'collection': {
      const v = (value as Record<string, unknown> | undefined) ?? {};
      return html`<fieldset id=${id} class="collection"><legend class="sr-only">${spec.label}</legend>
        ${renderFields(spec.fields, v, path, ctx)}</fieldset>`;
    }
    case 'list': {
      const rows = (value as Record<string, unknown>[] | undefined) ?? [];
      const max = spec.maxItems ?? Number.POSITIVE_INFINITY;
      return html`<div id=${id} class="list" role="list" aria-label=${spec.label}>
        ${rows.map(
          (row, i) => html`<fieldset class="row" role="listitem">
            <legend>${spec.label} ${i + 1}</legend>
            ${renderFields(spec.fields, row, [...path, i], ctx)}
            <button type="button" ?disabled=${ro || rows.length <= (spec.minItems ?? 0)}
              aria-label=${`Remove ${spec.label} ${i + 1}`}
              @click=${() =>
                ctx.onChange(
                  path,
                  rows.filter((_, j) => j !== i),
                )}>Remove</button>
          </fieldset>`,
        )}
        <button type="button" class="add" ?disabled=${ro || rows.length >= max}
          @click=${() => ctx.onChange(path, [...rows, defaults(spec.fields)])}>Add ${spec.label}</button>
      </div>`;
    }
  }
}

/** Default values of a set of fields, for a new list row. */
export function defaults(fields: ParameterFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(fields)) {
    if ('default' in spec && spec.default !== undefined) out[k] = structuredClone(spec.default);
  }
  return out;
}

/**
 * A copy of `root` with the value at `path` replaced (`undefined` removes an object key).
 *
 * @example
 * ```ts
 * setIn({ fields: [{ name: 'a' }] }, ['fields', 0, 'name'], 'b'); // { fields: [{ name: 'b' }] }
 * ```
 */
export function setIn(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const obj: Record<string, unknown> =
    root && typeof root === 'object' && !Array.isArray(root) ? { ...(root as object) } : {};
  const next = setIn(obj[head], rest, value);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}
