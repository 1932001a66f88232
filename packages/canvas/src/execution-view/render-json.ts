import type { JsonValue } from '@weft/engine';
import { html, nothing, type TemplateResult } from 'lit';

/** The MIME type a dragged field carries: its `$json` path (`$json.customer["first name"]`). */
export const JSON_PATH_MIME = 'application/x-weft-json-path';

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * The `$json` expression of a field: dots for plain keys, `["…"]` for any other key, `[i]` for
 * array elements.
 *
 * @example
 * ```ts
 * jsonFieldPath(['customer', 'first name']); // '$json.customer["first name"]'
 * jsonFieldPath(['lines', 0, 'sku']); // '$json.lines[0].sku'
 * ```
 */
export function jsonFieldPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>(
    (p, s) => (typeof s === 'number' ? `${p}[${s}]` : IDENT.test(s) ? `${p}.${s}` : `${p}[${JSON.stringify(s)}]`),
    '$json',
  );
}

/**
 * Makes a field draggable into a parameter: it carries `{{ path }}` as text (what a text field
 * gets) and the bare path as {@link JSON_PATH_MIME} (what a code editor inserts).
 */
export function onFieldDragStart(e: DragEvent): void {
  const path = (e.currentTarget as HTMLElement).dataset.path;
  if (!path || !e.dataTransfer) return;
  e.dataTransfer.setData('text/plain', `{{ ${path} }}`);
  e.dataTransfer.setData(JSON_PATH_MIME, path);
  e.dataTransfer.effectAllowed = 'copy';
}

function key(name: string, path: string): TemplateResult {
  return html`<span class="key" draggable="true" data-path=${path} title=${`Drag into a parameter: {{ ${path} }}`}
    @dragstart=${onFieldDragStart}>${JSON.stringify(name)}</span>`;
}

/**
 * One item's JSON, indented like `JSON.stringify(v, null, 2)`, with every key a draggable
 * field (see {@link onFieldDragStart}).
 *
 * @example
 * ```ts
 * html`<pre>${renderJson(item.json, [], 0)}</pre>`;
 * ```
 */
export function renderJson(value: JsonValue, path: (string | number)[], depth: number): TemplateResult {
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return html`[]`;
    return html`[\n${value.map(
      (v, i) => html`${pad}${renderJson(v, [...path, i], depth + 1)}${i < value.length - 1 ? ',' : nothing}\n`,
    )}${end}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return html`{}`;
    return html`{\n${entries.map(
      ([k, v], i) =>
        html`${pad}${key(k, jsonFieldPath([...path, k]))}: ${renderJson(v, [...path, k], depth + 1)}${i < entries.length - 1 ? ',' : nothing}\n`,
    )}${end}}`;
  }
  return html`<span class="value">${JSON.stringify(value)}</span>`;
}
