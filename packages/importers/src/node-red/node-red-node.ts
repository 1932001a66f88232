/** A node of a Node-RED flows.json. */
export type NodeRedNode = Record<string, unknown> & { id: string; type: string; z?: string; wires?: string[][] };

/** What a Node-RED mapper may ask about the flow the node is in. */
export interface NodeRedContext {
  /** The tab has an http response node (so http in answers from it). */
  respondsFromNode: boolean;
}
