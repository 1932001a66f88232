import { inputsOf, type NodeType, type PortSpec } from './node-type.js';
import type { ParameterFields } from './parameter-spec.js';

/** A node type stored without its parameter type. */
// biome-ignore lint/suspicious/noExplicitAny: node types are registered with their own parameter types
export type AnyNodeType = NodeType<any>;

/** The serialisable part of a node type: what the canvas and the API show. */
export type NodeTypeDescription = Omit<NodeType<ParameterFields>, 'execute' | 'outputs' | 'inputs'> & {
  inputs: PortSpec[] | 'dynamic';
  outputs: PortSpec[] | 'dynamic';
};

/**
 * The node types an engine knows. Packages export their node types; the host registers the ones
 * it wants (`registry.register(...)`), so nothing is found by scanning paths.
 *
 * @example
 * ```ts
 * const registry = new NodeRegistry().register(...builtinNodeTypes, myNodeType);
 * registry.get('weft.if')?.displayName; // 'If'
 * ```
 */
export class NodeRegistry {
  readonly #types = new Map<string, Map<number, AnyNodeType>>();

  register(...nodeTypes: AnyNodeType[]): this {
    for (const t of nodeTypes) {
      if (!/^[a-zA-Z][\w-]*(\.[a-zA-Z][\w-]*)+$/.test(t.type)) {
        throw new Error(`Node type name "${t.type}" must be namespaced, like "acme.doThing"`);
      }
      const versions = this.#types.get(t.type) ?? new Map<number, AnyNodeType>();
      if (versions.has(t.version)) throw new Error(`Node type ${t.type} v${t.version} is already registered`);
      versions.set(t.version, t);
      this.#types.set(t.type, versions);
    }
    return this;
  }

  /** The given version, or the latest when `version` is omitted. */
  get(type: string, version?: number): AnyNodeType | undefined {
    const versions = this.#types.get(type);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    let latest: AnyNodeType | undefined;
    for (const t of versions.values()) if (!latest || t.version > latest.version) latest = t;
    return latest;
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  /** The latest version of every type. */
  list(): AnyNodeType[] {
    return [...this.#types.keys()].map((k) => this.get(k) as AnyNodeType);
  }

  /** JSON-safe descriptions for editors and APIs. */
  describe(): NodeTypeDescription[] {
    return this.list().map(({ execute: _execute, outputs, inputs, ...rest }) => ({
      ...rest,
      inputs: typeof inputs === 'function' ? 'dynamic' : inputsOf({ ...rest, inputs } as AnyNodeType, {}),
      outputs: typeof outputs === 'function' ? 'dynamic' : (outputs ?? [{ name: 'main' }]),
    }));
  }
}
