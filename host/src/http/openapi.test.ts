import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { OpenApiSchemas } from './openapi-schemas.js';

let t: TestHost;
// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON
let doc: any;

beforeAll(async () => {
  t = await startTestHost();
  doc = (await t.call('GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await t?.close();
});

function idsIn(x: unknown, found: string[] = []): string[] {
  if (Array.isArray(x)) for (const v of x) idsIn(v, found);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o.$id === 'string') found.push(o.$id);
    for (const v of Object.values(o)) idsIn(v, found);
  }
  return found;
}

describe('OpenAPI document of the real host', () => {
  // The validator's own `strict` option only concerns AJV compiling the OAS meta-schema (it forces
  // it off or to 'log'); the checks on the document (3.1 schema with unevaluatedProperties: false,
  // every $ref resolves, every $id unique) always run.
  it('passes the strict OpenAPI 3.1 validator (schema, $ref and $id checks)', async () => {
    const validator = new Validator({ allErrors: true });
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('defines the workflow schema once, under components, and refers to it', () => {
    expect(idsIn(doc)).toEqual([]);
    expect(doc.components.schemas.Workflow.title).toBe('Weft workflow');
    const create = doc.paths['/api/v1/workspaces/{workspaceId}/workflows'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Workflow' });
    expect(doc.components.schemas.Workflow.properties.nodes.items).toEqual({
      $ref: '#/components/schemas/WorkflowNode',
    });
  });

  it('marks a body optional exactly when an absent body (validated as {}) is accepted', () => {
    const create = doc.paths['/api/v1/workspaces/{workspaceId}/workflows'].post;
    expect(create.requestBody.required).toBe(true);
    const rotate =
      doc.paths['/api/v1/workspaces/{workspaceId}/webhook-subscriptions/{subscriptionId}/rotate-secret'].post;
    expect(rotate.requestBody.required).toBe(false);
  });

  it('writes tuples as OpenAPI 3.1 prefixItems', () => {
    expect(doc.components.schemas.WorkflowNode.properties.position).toEqual({
      type: 'array',
      prefixItems: [{ type: 'number' }, { type: 'number' }],
      items: false,
      minItems: 2,
      maxItems: 2,
    });
    expect(JSON.stringify(doc)).not.toContain('additionalItems');
  });
});

describe('OpenApiSchemas', () => {
  it('keeps properties named like keywords and refuses two different schemas under one name', () => {
    const schemas = new OpenApiSchemas();
    const a = { $id: 'https://x.dev/a.json', type: 'object', properties: { $schema: { type: 'string' } } };
    expect(schemas.of(a)).toEqual({ $ref: '#/components/schemas/A' });
    expect(schemas.components.A).toEqual({ type: 'object', properties: { $schema: { type: 'string' } } });
    expect(() => schemas.of({ $id: 'A', type: 'string' })).toThrow(/two different schemas are named "A"/);
  });
});
