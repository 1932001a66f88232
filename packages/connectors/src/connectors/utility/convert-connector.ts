import type { Item, JsonObject, JsonValue } from '@weft/engine';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ActionContext } from '../../kit/connector-context.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

const textOrBinary = {
  text: Property.LongText({ label: 'Text', description: 'Leave empty to read the binary property instead' }),
  binaryProperty: Property.ShortText({ label: 'Binary property', default: 'data' }),
};

async function inputText(ctx: ActionContext<{ text?: string; binaryProperty: string }>, what: string): Promise<string> {
  if (ctx.props.text) return ctx.props.text;
  const ref = ctx.item?.binary?.[ctx.props.binaryProperty];
  if (!ref) throw new Error(`${what}: give Text, or an input item with binary property "${ctx.props.binaryProperty}"`);
  return new TextDecoder().decode(await ctx.binary.get(ref));
}

const delimiter = Property.ShortText({ label: 'Delimiter', default: ',' });

const csvToJson = defineAction({
  name: 'csvToJson',
  displayName: 'CSV to JSON',
  description: 'Parses CSV into one item per row',
  sideEffects: 'none',
  props: { ...textOrBinary, delimiter, header: Property.Checkbox({ label: 'First row is the header', default: true }) },
  run: async (ctx) => {
    const text = await inputText(ctx, 'CSV to JSON');
    let rows: unknown[];
    try {
      rows = parseCsv(text, {
        columns: ctx.props.header,
        delimiter: ctx.props.delimiter,
        skip_empty_lines: true,
        bom: true,
      });
    } catch (err) {
      throw new Error(`CSV to JSON: ${(err as Error).message}`);
    }
    return rows.map((r) => (Array.isArray(r) ? { row: r as JsonValue[] } : (r as JsonObject)));
  },
});

const jsonToCsv = defineAction({
  name: 'jsonToCsv',
  displayName: 'JSON to CSV',
  description: 'Turns all input items into one CSV document (text and a binary file)',
  sideEffects: 'none',
  mode: 'batch',
  props: {
    columns: Property.ShortText({
      label: 'Columns',
      description: 'Comma-separated; default: every key seen, in order',
    }),
    delimiter,
    header: Property.Checkbox({ label: 'Write a header row', default: true }),
    fileName: Property.ShortText({ label: 'File name', default: 'data.csv' }),
  },
  docs: 'Runs once with all input items and outputs one item. Nested values are written as JSON.',
  run: async (ctx) => {
    const rows = ctx.items.map((i) => i.json);
    const columns = ctx.props.columns
      ? ctx.props.columns
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const records = rows.map((r) =>
      columns.map((c) => {
        const v = r[c];
        return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    );
    const csv = stringifyCsv(records, { header: ctx.props.header, columns, delimiter: ctx.props.delimiter });
    const ref = await ctx.binary.put(new TextEncoder().encode(csv), {
      mimeType: 'text/csv',
      fileName: ctx.props.fileName,
    });
    const item: Item = { json: { csv, rows: records.length }, binary: { data: ref } };
    return item;
  },
});

const xmlToJson = defineAction({
  name: 'xmlToJson',
  displayName: 'XML to JSON',
  description: 'Parses an XML document into an object (attributes prefixed with @_)',
  sideEffects: 'none',
  props: { ...textOrBinary, outputField: Property.ShortText({ label: 'Output field', default: 'data' }) },
  run: async (ctx) => {
    const xml = await inputText(ctx, 'XML to JSON');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      throw new Error(`XML to JSON: invalid XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
    }
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: true }).parse(
      xml,
    );
    return { ...ctx.item?.json, [ctx.props.outputField]: parsed as JsonValue };
  },
});

const jsonToXml = defineAction({
  name: 'jsonToXml',
  displayName: 'JSON to XML',
  description: 'Writes a value (or the whole item) as XML under a root element',
  sideEffects: 'none',
  props: {
    value: Property.Json({ label: 'Value', description: 'Default: the input item' }),
    root: Property.ShortText({ label: 'Root element', default: 'root', pattern: '^[A-Za-z_][\\w.-]*$' }),
    outputField: Property.ShortText({ label: 'Output field', default: 'xml' }),
  },
  run: ({ props, item }) => {
    if (!/^[A-Za-z_][\w.-]*$/.test(props.root))
      throw new Error(`JSON to XML: "${props.root}" is not a valid element name`);
    const value = props.value ?? item?.json ?? {};
    const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true }).build({
      [props.root]: value,
    });
    return { ...item?.json, [props.outputField]: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` };
  },
});

const parseJson = defineAction({
  name: 'parseJson',
  displayName: 'Parse JSON',
  description: 'Parses JSON text into a field',
  sideEffects: 'none',
  props: { ...textOrBinary, outputField: Property.ShortText({ label: 'Output field', default: 'data' }) },
  run: async (ctx) => {
    const text = await inputText(ctx, 'Parse JSON');
    try {
      return { ...ctx.item?.json, [ctx.props.outputField]: JSON.parse(text) as JsonValue };
    } catch (err) {
      throw new Error(`Parse JSON: ${(err as Error).message}`);
    }
  },
});

const stringifyJson = defineAction({
  name: 'stringifyJson',
  displayName: 'JSON to text',
  description: 'Writes a value (or the whole item) as JSON text',
  sideEffects: 'none',
  props: {
    value: Property.Json({ label: 'Value', description: 'Default: the input item' }),
    pretty: Property.Checkbox({ label: 'Pretty-print', default: false }),
    outputField: Property.ShortText({ label: 'Output field', default: 'text' }),
  },
  run: ({ props, item }) => ({
    ...item?.json,
    [props.outputField]: JSON.stringify(props.value ?? item?.json ?? null, null, props.pretty ? 2 : undefined),
  }),
});

/**
 * Conversion utility nodes: CSV <-> JSON (csv-parse / csv-stringify), XML <-> JSON
 * (fast-xml-parser), and JSON text <-> values.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(convertConnector, { blobs }));
 * ```
 */
export const convertConnector = defineConnector({
  name: 'convert',
  displayName: 'Convert',
  description: 'Convert between JSON, CSV and XML.',
  version: '1.0.0',
  icon: svgIcon('#0F766E', '<path d="M5 9h13l-3-3M19 15H6l3 3"/>'),
  group: 'transform',
  actions: [csvToJson, jsonToCsv, xmlToJson, jsonToXml, parseJson, stringifyJson],
});
