import type { NodePorts } from './node-ports.js';

/** Width of every workflow node on the canvas, in flow units. */
export const NODE_WIDTH = 200;
/** Height of the node header (icon and name). */
export const NODE_HEADER = 40;
/** Vertical distance between two ports. */
export const PORT_SPACING = 22;
/** Diameter of a port handle. */
export const HANDLE_SIZE = 12;

/** A rectangle in flow coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The height of a node with the given ports: a header plus one row per port on its busiest side.
 *
 * @example
 * ```ts
 * nodeHeight({ inputs: [{ name: 'main' }], outputs: [{ name: 'true' }, { name: 'false' }] }); // 84
 * ```
 */
export function nodeHeight(ports: NodePorts): number {
  const rows = Math.max(1, ports.inputs.length, ports.outputs.length);
  return NODE_HEADER + rows * PORT_SPACING - 2;
}

/**
 * The centre of port `index` on a node's left (inputs) or right (outputs) edge, relative to the
 * node's top-left corner.
 *
 * @example
 * ```ts
 * portOffset('output', 0); // { x: 200, y: 51 }
 * ```
 */
export function portOffset(side: 'input' | 'output', index: number): { x: number; y: number } {
  return { x: side === 'input' ? 0 : NODE_WIDTH, y: NODE_HEADER + index * PORT_SPACING + PORT_SPACING / 2 - 2 };
}
