import { randomBytes } from 'node:crypto';
import { MemoryCredentialRecordStore, MemoryTriggerStateStore, NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuth2TokenManager } from '../../auth/oauth2-token-manager.js';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { loadOptions } from '../../kit/load-options.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { pollTrigger } from '../../triggers/trigger-runners.js';
import { CredentialVault } from '../../vault/credential-vault.js';
import { createGoogleSheetsConnector } from './google-sheets-connector.js';

const rows: (string | number)[][] = [
  ['name', 'qty'],
  ['pen', '2'],
  ['ink', '5'],
];
let google: LocalServer;
let valid = 'ya29.first';
beforeAll(async () => {
  google = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/token') {
      const form = new URLSearchParams(req.body.toString());
      if (
        form.get('grant_type') !== 'refresh_token' ||
        form.get('refresh_token') !== '1//refresh' ||
        form.get('client_secret') !== 'gsecret'
      ) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
      valid = `ya29.${randomBytes(4).toString('hex')}`;
      return sendJson(res, 200, { access_token: valid, expires_in: 3599, token_type: 'Bearer' });
    }
    if (req.headers.authorization !== `Bearer ${valid}`) {
      return sendJson(res, 401, {
        error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
      });
    }
    if (url.pathname === '/v4/spreadsheets/sheet1')
      return sendJson(res, 200, { sheets: [{ properties: { title: 'Orders' } }, { properties: { title: "Q1's" } }] });
    if (url.pathname === '/v4/spreadsheets/nope/values/Orders') {
      return sendJson(res, 404, {
        error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
      });
    }
    const m = /^\/v4\/spreadsheets\/sheet1\/values\/([^:]+)(:append)?$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    const range = decodeURIComponent(m[1]!);
    if (!range.startsWith("'Orders'"))
      return sendJson(res, 400, {
        error: { code: 400, message: `Unable to parse range: ${range}`, status: 'INVALID_ARGUMENT' },
      });
    if (m[2]) {
      rows.push(JSON.parse(req.body.toString()).values[0]);
      return sendJson(res, 200, {
        updates: {
          updatedRange: `Orders!A${rows.length}:B${rows.length}`,
          updatedRows: 1,
          valueInputOption: url.searchParams.get('valueInputOption'),
        },
      });
    }
    sendJson(res, 200, { range, majorDimension: 'ROWS', values: rows });
  });
});
afterAll(() => google.close());

async function setup() {
  const http = createHttpClient({ allow: ['127.0.0.1/32'] });
  const vault = new CredentialVault({
    store: new MemoryCredentialRecordStore(),
    masterKeys: [{ id: 'k', key: new Uint8Array(randomBytes(32)) }],
  });
  const tokens = new OAuth2TokenManager({ http, writer: vault });
  const connector = createGoogleSheetsConnector({ baseUrl: google.url, tokenUrl: `${google.url}/token` });
  const info = await vault.create({
    workspaceId: 'ws1',
    type: 'googleSheets.oauth2',
    name: 'Google',
    data: {
      clientId: 'gid',
      clientSecret: 'gsecret',
      accessToken: 'ya29.stale',
      refreshToken: '1//refresh',
      expiresAt: Date.now() + 3600_000,
    },
  });
  const credential = await vault.resolve({
    workspaceId: 'ws1',
    credentialId: info.id,
    nodeType: 'googleSheets.readRows',
  });
  const runtime = { http, tokens, state: new MemoryTriggerStateStore() };
  const registry = new NodeRegistry().register(...connectorNodeTypes(connector, runtime));
  return { connector, credential, runtime, registry, vault, info };
}

describe('Google Sheets', () => {
  it('reads rows as objects, refreshing a rejected OAuth2 token once and storing the new one', async () => {
    const { registry, credential, vault, info } = await setup();
    const out = await runNode(registry.get('googleSheets.readRows')!, {
      params: { spreadsheetId: 'sheet1', sheet: 'Orders', range: 'A:Z' },
      credential,
    });
    expect(out.slice(0, 2).map((i) => i.json)).toEqual([
      { rowNumber: 2, name: 'pen', qty: '2' },
      { rowNumber: 3, name: 'ink', qty: '5' },
    ]);
    const stored = await vault.resolve({ workspaceId: 'ws1', credentialId: info.id, nodeType: 'x.y' });
    expect(stored.data.accessToken).toBe(valid);
  });

  it('appends rows and reports API errors with their status', async () => {
    const { registry, credential } = await setup();
    const [res] = await runNode(registry.get('googleSheets.appendRow')!, {
      params: { spreadsheetId: 'sheet1', sheet: 'Orders', values: ['cap', 1], raw: true },
      credential,
    });
    expect(res?.json).toMatchObject({ updatedRows: 1, valueInputOption: 'RAW' });
    await expect(
      runNode(registry.get('googleSheets.readRows')!, {
        params: { spreadsheetId: 'nope', sheet: 'Orders', range: 'A:Z' },
        credential,
      }),
    ).rejects.toThrow(/Google Sheets/);
    await expect(
      runNode(registry.get('googleSheets.appendRow')!, {
        params: { spreadsheetId: 'sheet1', sheet: 'Orders', values: { a: 1 } },
        credential,
      }),
    ).rejects.toThrow('Google Sheets: Values must be an array of plain cell values');
  });

  it('lists sheets for the dropdown once a spreadsheet is chosen', async () => {
    const { connector, credential, runtime } = await setup();
    expect(
      await loadOptions(
        connector,
        'listSheets',
        { props: { spreadsheetId: 'sheet1' }, credential, workspaceId: 'ws1' },
        runtime,
      ),
    ).toEqual([
      { value: 'Orders', label: 'Orders' },
      { value: "Q1's", label: "Q1's" },
    ]);
    expect(await loadOptions(connector, 'listSheets', { props: {}, credential, workspaceId: 'ws1' }, runtime)).toEqual(
      [],
    );
  });

  it('triggers on rows added below the last one seen', async () => {
    const { connector, credential, runtime } = await setup();
    const trigger = connector.triggers[0]!;
    if (trigger.kind !== 'polling') throw new Error('expected polling');
    const site = {
      workspaceId: 'ws1',
      workflowId: 'wf',
      nodeId: 'n',
      props: { spreadsheetId: 'sheet1', sheet: 'Orders' },
      credential,
    };
    expect(await pollTrigger(connector, trigger, site, runtime)).toEqual([]);
    rows.push(['ruler', '3']);
    expect((await pollTrigger(connector, trigger, site, runtime)).map((i) => i.json.name)).toEqual(['ruler']);
  });
});
