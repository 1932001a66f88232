type Json = Record<string, unknown>;

const SCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
] as const;
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'] as const;

const isObject = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `https://weft.dev/schemas/workflow.json` → `Workflow`, `RetryPolicy` → `RetryPolicy`. */
function componentName(id: string): string {
  const last =
    id
      .replace(/[#/]+$/, '')
      .split('/')
      .pop() ?? id;
  const base = last.replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]/g, '');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/**
 * Turns TypeBox (JSON Schema draft 7 style) schemas into OpenAPI 3.1 Schema Objects: tuples
 * become `prefixItems` (TypeBox writes `items: [...]` + `additionalItems`), and every subschema
 * with an `$id` is stored once under {@link OpenApiSchemas.components} and replaced by a `$ref`,
 * so a schema used by several operations does not define its `$id` several times.
 *
 * @example
 * ```ts
 * const schemas = new OpenApiSchemas();
 * const body = schemas.of(WorkflowSchema); // { $ref: '#/components/schemas/Workflow' }
 * const doc = { paths, components: { schemas: schemas.components } };
 * ```
 */
export class OpenApiSchemas {
  /** The named schemas the returned `$ref`s point to, for `components.schemas`. */
  readonly components: Record<string, unknown> = {};
  readonly #json = new Map<string, string>();

  /** The OpenAPI form of a schema (TypeBox's symbol keys are dropped). */
  of(schema: unknown): unknown {
    return this.#convert(JSON.parse(JSON.stringify(schema ?? {})));
  }

  #convert(schema: unknown): unknown {
    if (!isObject(schema)) return schema;
    const { $id, $schema: _dialect, ...out } = schema;
    for (const key of SCHEMA_KEYWORDS) if (isObject(out[key])) out[key] = this.#convert(out[key]);
    for (const key of SCHEMA_LIST_KEYWORDS)
      if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => this.#convert(s));
    for (const key of SCHEMA_MAP_KEYWORDS) {
      const map = out[key];
      if (isObject(map))
        out[key] = Object.fromEntries(Object.entries(map).map(([name, s]) => [name, this.#convert(s)]));
    }
    if (Array.isArray(out.items)) {
      out.prefixItems = out.items;
      out.items = out.additionalItems ?? true;
      delete out.additionalItems;
      if (out.items === true) delete out.items;
    }
    if (typeof $id !== 'string') return out;
    const name = componentName($id);
    const json = JSON.stringify(out);
    const known = this.#json.get(name);
    if (known !== undefined && known !== json)
      throw new Error(`OpenAPI: two different schemas are named "${name}" (from $id "${$id}")`);
    this.#json.set(name, json);
    this.components[name] = out;
    return { $ref: `#/components/schemas/${name}` };
  }
}
