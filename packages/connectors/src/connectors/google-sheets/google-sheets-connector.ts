import type { JsonObject, JsonValue } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { HttpError } from '../../http/http-error.js';
import type { HttpClient, HttpRequest } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { defineTrigger } from '../../kit/define-trigger.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

async function call<T>(http: HttpClient, request: HttpRequest): Promise<T> {
  try {
    return (await http.request<T>(request)).body;
  } catch (err) {
    const e =
      err instanceof HttpError ? (err.body as { error?: { message?: string; status?: string } })?.error : undefined;
    if (err instanceof HttpError && e?.message)
      throw new Error(`Google Sheets ${e.status ?? err.status}: ${e.message}`);
    throw err;
  }
}

/**
 * Rows as objects keyed by the header row, each with its 1-based `rowNumber` in the sheet.
 *
 * @example
 * ```ts
 * rowsToObjects([['name', 'qty'], ['pen', '2']], 1); // [{ rowNumber: 2, name: 'pen', qty: '2' }]
 * ```
 */
export function rowsToObjects(values: JsonValue[][], firstRow: number): JsonObject[] {
  const [header = [], ...rows] = values;
  const keys = header.map((h, i) => String(h ?? '').trim() || `column${i + 1}`);
  return rows.map((row, r) => {
    const out: JsonObject = { rowNumber: firstRow + 1 + r };
    keys.forEach((k, i) => {
      out[k] = row[i] ?? '';
    });
    return out;
  });
}

/**
 * Creates the Google Sheets connector (API base and OAuth endpoints replaceable for tests).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(createGoogleSheetsConnector(), { http, tokens }));
 * ```
 */
export function createGoogleSheetsConnector(
  options: { baseUrl?: string; tokenUrl?: string; authorizationUrl?: string } = {},
) {
  const base = `${(options.baseUrl ?? 'https://sheets.googleapis.com').replace(/\/$/, '')}/v4/spreadsheets`;
  const oauth = Auth.oauth2({
    type: 'googleSheets.oauth2',
    displayName: 'Google account',
    grant: 'authorizationCode',
    authorizationUrl: options.authorizationUrl ?? 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: options.tokenUrl ?? 'https://oauth2.googleapis.com/token',
    scopes: ['https://www.googleapis.com/auth/spreadsheets'],
    clientAuth: 'body',
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
  });
  const spreadsheet = Property.ShortText({
    label: 'Spreadsheet ID',
    required: true,
    description: 'From the URL: /spreadsheets/d/<ID>/',
  });
  const sheet = Property.Dropdown({
    label: 'Sheet',
    loader: 'listSheets',
    dependsOn: ['spreadsheetId'],
    required: true,
  });
  const url = (id: string, range: string, suffix = '') => {
    if (!/^[\w-]+$/.test(id)) throw new Error(`Google Sheets: "${id}" is not a spreadsheet ID`);
    return `${base}/${id}/values/${encodeURIComponent(range)}${suffix}`;
  };
  const quote = (title: string) => `'${title.replaceAll("'", "''")}'`;

  const readRows = defineAction({
    name: 'readRows',
    displayName: 'Read rows',
    description: 'Reads a sheet; the first row names the fields',
    sideEffects: 'none',
    props: { spreadsheetId: spreadsheet, sheet, range: Property.ShortText({ label: 'Range', default: 'A:Z' }) },
    run: async (ctx) => {
      const res = await call<{ values?: JsonValue[][] }>(ctx.http, {
        url: url(ctx.props.spreadsheetId, `${quote(ctx.props.sheet)}!${ctx.props.range}`),
        signal: ctx.signal,
      });
      return rowsToObjects(res.values ?? [], 1);
    },
  });

  const appendRow = defineAction({
    name: 'appendRow',
    displayName: 'Append row',
    description: 'Appends a row after the last row with data',
    sideEffects: 'once',
    props: {
      spreadsheetId: spreadsheet,
      sheet,
      values: Property.Json({
        label: 'Values',
        required: true,
        description: 'An array of cell values, e.g. ["pen", 2]',
      }),
      raw: Property.Checkbox({ label: 'Store values as typed (no formulas or parsing)', default: false }),
    },
    run: async (ctx) => {
      const values = ctx.props.values;
      if (!Array.isArray(values) || values.some((v) => v !== null && typeof v === 'object')) {
        throw new Error('Google Sheets: Values must be an array of plain cell values');
      }
      const res = await call<{ updates?: JsonObject }>(ctx.http, {
        method: 'POST',
        url: url(ctx.props.spreadsheetId, quote(ctx.props.sheet), ':append'),
        query: { valueInputOption: ctx.props.raw ? 'RAW' : 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' },
        json: { values: [values] },
        signal: ctx.signal,
      });
      return res.updates ?? {};
    },
  });

  const newRow = defineTrigger({
    kind: 'polling',
    name: 'newRow',
    displayName: 'New row',
    description: 'Fires for each row added below the last one seen',
    props: { spreadsheetId: spreadsheet, sheet },
    dedupe: { by: 'id', field: 'rowNumber' },
    intervalMs: 60_000,
    poll: async (ctx) => {
      const res = await call<{ values?: JsonValue[][] }>(ctx.http, {
        url: url(ctx.props.spreadsheetId, quote(ctx.props.sheet)),
        signal: ctx.signal,
      });
      return rowsToObjects(res.values ?? [], 1);
    },
  });

  return defineConnector({
    name: 'googleSheets',
    displayName: 'Google Sheets',
    description: 'Read and append rows in Google Sheets; trigger on new rows.',
    version: '1.0.0',
    icon: svgIcon(
      '#188038',
      '<rect x="6" y="4" width="12" height="16" rx="1.5"/><path d="M6 10h12M6 15h12M11 10v10"/>',
    ),
    auth: oauth,
    actions: [readRows, appendRow],
    triggers: [newRow],
    optionLoaders: {
      listSheets: async (ctx) => {
        const id = String(ctx.props.spreadsheetId ?? '');
        if (!/^[\w-]+$/.test(id)) return [];
        const res = await call<{ sheets?: { properties: { title: string } }[] }>(ctx.http, {
          url: `${base}/${id}`,
          query: { fields: 'sheets.properties.title' },
          signal: ctx.signal,
        });
        return (res.sheets ?? []).map((s) => ({ value: s.properties.title, label: s.properties.title }));
      },
    },
  });
}

/**
 * The Google Sheets connector against Google's endpoints.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(googleSheetsConnector, { http, tokens }));
 * ```
 */
export const googleSheetsConnector = createGoogleSheetsConnector();
