import { type AnyNodeType, NodeRegistry } from '@weft/engine';

/** A side-effecting node that a test case would have run without a mock. */
export interface UnmockedNode {
  node: string;
  type: string;
  sideEffects: string;
}

/**
 * Thrown in place of a side-effecting node's work when a test case has no mock for it: tests
 * never reach the outside world.
 */
export class UnmockedSideEffectError extends Error {
  override readonly name = 'UnmockedSideEffectError';
  constructor(readonly unmocked: UnmockedNode) {
    super(
      `Node "${unmocked.node}" (${unmocked.type}, side effects "${unmocked.sideEffects}") would run without a mock: add mocks["${unmocked.node}"] with the items it should output`,
    );
  }
}

/**
 * A registry over `base` in which every node type with side effects (`idempotent`, `once`,
 * `atMostOnce`) refuses to run and records the node in `unmocked`: mocked nodes never reach it
 * (the engine uses their pinned output), so only an unmocked one would.
 *
 * @example
 * ```ts
 * const unmocked: UnmockedNode[] = [];
 * const engine = new WorkflowEngine({ registry: new SideEffectGuard(registry, unmocked) });
 * ```
 */
export class SideEffectGuard extends NodeRegistry {
  readonly #guarded = new Map<AnyNodeType, AnyNodeType>();

  constructor(
    readonly base: NodeRegistry,
    readonly unmocked: UnmockedNode[],
  ) {
    super();
  }

  override get(type: string, version?: number): AnyNodeType | undefined {
    const t = this.base.get(type, version);
    if (!t || t.sideEffects === undefined || t.sideEffects === 'none') return t;
    let guarded = this.#guarded.get(t);
    if (!guarded) {
      const sideEffects = t.sideEffects;
      guarded = {
        ...t,
        execute: (ctx) => {
          const found = { node: ctx.node.name, type: t.type, sideEffects };
          this.unmocked.push(found);
          throw new UnmockedSideEffectError(found);
        },
      };
      this.#guarded.set(t, guarded);
    }
    return guarded;
  }

  override has(type: string): boolean {
    return this.base.has(type);
  }

  override list(): AnyNodeType[] {
    return this.base.list().map((t) => this.get(t.type, t.version) as AnyNodeType);
  }
}
