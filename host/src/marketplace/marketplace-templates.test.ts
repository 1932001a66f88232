import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtinConnectors,
  type ConnectorDefinition,
  CredentialVault,
  connectorNodeTypes,
  createGithubConnector,
  createHttpClient,
  createPostgresConnector,
  createRedisConnector,
  createSlackConnector,
  createStripeConnector,
  respondToWebhookNode,
} from '@weft/connectors';
import {
  builtinNodeTypes,
  type Item,
  MemoryCredentialRecordStore,
  NodeRegistry,
  type TemplateCredentialSlot,
  type TemplateInput,
  validateWorkflow,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import { instantiateTemplate } from '@weft/marketplace';
import { serviceUrl } from '@weft/testing';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostNodeTypes } from '../runtime/host-node-types.js';
import { type CannedResponse, startTemplateApiServer, type TemplateApiServer } from '../testing/template-api-server.js';

/** A bundled template file: the listing, the workflow, and sample data to run it with. */
interface TemplateFile {
  name: string;
  summary: string;
  description: string;
  categories: string[];
  tags: string[];
  credentials: TemplateCredentialSlot[];
  inputs: TemplateInput[];
  workflow: Workflow;
  sample: {
    /**
     * Credential data per credential type; `$API` is replaced with the fake APIs' URL, `$PG_*` and
     * `$REDIS_*` with the parts of the test Postgres and Redis servers' URLs, `$S3_URL` with a local
     * s3rver's (bucket `weft-archive`).
     */
    credentials?: Record<string, Record<string, string>>;
    inputs?: Record<string, unknown>;
    input?: Item[];
    responses?: Record<string, CannedResponse>;
    expect: { requests?: string[]; output?: Array<Record<string, unknown>>; outputCount?: number };
  };
}

const dir = join(import.meta.dirname, '../../../packages/marketplace/templates');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TemplateFile;
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
/** Sample data with `$API` (the fake APIs' URL) and `{{TOMORROW}}` (an ISO date a day ahead) filled in. */
const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');
/** `$PG_HOST`, `$PG_PORT`, ... and `$REDIS_HOST`, ... from the test servers' URLs (real servers, over the wire). */
const servers: Array<[string, string]> = [];
for (const [prefix, target, port] of [
  ['PG', pg, '5432'],
  ['REDIS', redis, '6379'],
] as const) {
  if (target.skip) continue;
  const u = new URL(target.url());
  servers.push(
    [`$${prefix}_HOST`, u.hostname],
    [`$${prefix}_PORT`, u.port || port],
    [`$${prefix}_USER`, decodeURIComponent(u.username)],
    [`$${prefix}_PASSWORD`, decodeURIComponent(u.password)],
    [`$${prefix}_DATABASE`, u.pathname.slice(1) || 'postgres'],
  );
}
const needs = (t: TemplateFile, prefix: 'PG' | 'REDIS') => JSON.stringify(t.sample).includes(`$${prefix}_`);
const withApi = <T>(value: T, url: string): T => {
  let text = JSON.stringify(value)
    .replaceAll('$API', url)
    .replaceAll('$S3_URL', s3Url)
    .replaceAll('{{TOMORROW}}', tomorrow());
  for (const [k, v] of servers) text = text.replaceAll(k, v);
  return JSON.parse(text) as T;
};

let api: TemplateApiServer;
let engine: WorkflowEngine;
let vault: CredentialVault;
let s3: S3rver;
let s3Url = '';
const s3Dir = mkdtempSync(join(tmpdir(), 'weft-template-s3-'));
beforeAll(async () => {
  api = await startTemplateApiServer();
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: s3Dir,
    silent: true,
    configureBuckets: [{ name: 'weft-archive', configs: [] }],
  });
  s3Url = `http://127.0.0.1:${((await s3.run()) as { port: number }).port}`;
  const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
  const local: Record<string, ConnectorDefinition> = {
    slack: createSlackConnector({ baseUrl: `${api.url}/slack` }) as ConnectorDefinition,
    github: createGithubConnector({ baseUrl: `${api.url}/github` }) as ConnectorDefinition,
    stripe: createStripeConnector({ baseUrl: `${api.url}/stripe` }) as ConnectorDefinition,
    postgres: createPostgresConnector({ allow: ['127.0.0.0/8', '::1/128'] }) as ConnectorDefinition,
    redis: createRedisConnector({ allow: ['127.0.0.0/8', '::1/128'] }) as ConnectorDefinition,
  };
  const registry = new NodeRegistry().register(
    ...builtinNodeTypes,
    ...builtinConnectors.flatMap((c) => connectorNodeTypes(local[c.name] ?? c, runtime)),
    respondToWebhookNode,
  );
  vault = new CredentialVault({
    store: new MemoryCredentialRecordStore(),
    masterKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
  });
  engine = new WorkflowEngine({ registry, credentials: vault });
});
afterAll(async () => {
  await api.close();
  await s3.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe('bundled marketplace templates', () => {
  it('are at least 30', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  const catalogue = new NodeRegistry().register(...hostNodeTypes());
  // Templates whose sample needs a server that is not there are reported as skipped, not passed.
  const unrunnable = (f: string) => (needs(load(f), 'PG') && pg.skip) || (needs(load(f), 'REDIS') && redis.skip);
  const skipped = files.filter(unrunnable);
  if (skipped.length) it.skip.each(skipped)('%s runs on its sample data (needs Postgres/Redis)', () => {});
  it.each(files.filter((f) => !unrunnable(f)))(
    '%s is valid against the host catalogue and runs on its sample data',
    async (file) => {
      const t = load(file);
      expect(t.name.length).toBeGreaterThan(0);
      expect(t.categories.length).toBeGreaterThan(0);
      for (const slot of t.credentials) {
        const node = t.workflow.nodes.find((x) => x.id === slot.nodeId);
        const accepts = node && catalogue.get(node.type)?.credentials?.[slot.slot]?.types;
        expect(accepts, `${slot.nodeId}.${slot.slot}`).toContain(slot.credentialType);
      }
      for (const input of t.inputs) expect(t.workflow.nodes.map((x) => x.id)).toContain(input.nodeId);
      const credentials: Record<string, string> = {};
      for (const [type, data] of Object.entries(t.sample.credentials ?? {}))
        credentials[type] = (
          await vault.create({ workspaceId: 'ws', type, name: type, data: withApi(data, api.url) })
        ).id;
      const workflow = instantiateTemplate(
        {
          templateId: file,
          version: 1,
          changelog: '',
          workflow: t.workflow,
          inputs: t.inputs,
          credentials: t.credentials,
          createdAt: 0,
        },
        { credentials, inputs: withApi(t.sample.inputs ?? {}, api.url) },
      );
      // What an install creates must be valid; the template itself may leave inputs (secrets) blank.
      expect(validateWorkflow(workflow, catalogue).problems).toEqual([]);
      api.requests.length = 0;
      api.responses = withApi(t.sample.responses ?? {}, api.url);
      const result = await engine.execute(workflow, {
        workspaceId: 'ws',
        input: withApi(t.sample.input ?? [{ json: {} }], api.url),
      });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('succeeded');
      const seen = api.requests.map((r) => `${r.method} ${r.path}`);
      for (const r of t.sample.expect.requests ?? []) expect(seen).toContain(r);
      if (t.sample.expect.outputCount !== undefined) expect(result.output).toHaveLength(t.sample.expect.outputCount);
      if (t.sample.expect.output) expect(result.output.map((i) => i.json)).toMatchObject(t.sample.expect.output);
    },
  );
});
