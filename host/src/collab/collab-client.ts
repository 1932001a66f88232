import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { readAuthMessage } from 'y-protocols/auth';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { readSyncMessage, writeSyncStep1, writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';

/** A Node client of the co-editing socket (tests, benchmarks, scripts). */
export interface CollabClient {
  doc: Y.Doc;
  awareness: Awareness;
  /** Resolves after the host's first sync answer. */
  synced: Promise<void>;
  /** Reasons of the host's "permission denied" messages so far. */
  denied: string[];
  close(): void;
}

/**
 * Connects `doc` to a host's co-editing socket with the y-websocket protocol (no reconnects).
 * Rejects when the upgrade is refused, with the HTTP status in the message.
 *
 * @example
 * ```ts
 * const c = await connectCollab(`${base}/api/v1/workspaces/${ws}/workflows/${id}/collab`, token);
 * await c.synced;
 * ```
 */
export function connectCollab(url: string, token: string, doc = new Y.Doc()): Promise<CollabClient> {
  const awareness = new Awareness(doc);
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: { authorization: `Bearer ${token}` } });
  ws.binaryType = 'arraybuffer';
  const denied: string[] = [];
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => {
    markSynced = r;
  });
  const send = (build: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    build(e);
    if (ws.readyState === ws.OPEN) ws.send(encoding.toUint8Array(e));
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== ws)
      send((e) => {
        encoding.writeVarUint(e, 0);
        writeUpdate(e, update);
      });
  };
  const onAwareness = (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === ws) return;
    const ids = [...c.added, ...c.updated, ...c.removed];
    send((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, ids));
    });
  };
  ws.on('message', (data: ArrayBuffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(d);
    if (type === 0) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      const sub = readSyncMessage(d, e, doc, ws);
      if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
      if (sub === 1) markSynced();
    } else if (type === 1) applyAwarenessUpdate(awareness, decoding.readVarUint8Array(d), ws);
    else if (type === 2) readAuthMessage(d, doc, (_y, reason) => denied.push(reason));
  });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => {
      doc.on('update', onUpdate);
      awareness.on('update', onAwareness);
      send((e) => {
        encoding.writeVarUint(e, 0);
        writeSyncStep1(e, doc);
      });
      if (awareness.getLocalState())
        send((e) => {
          encoding.writeVarUint(e, 1);
          encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [doc.clientID]));
        });
      resolve({
        doc,
        awareness,
        synced,
        denied,
        close() {
          doc.off('update', onUpdate);
          awareness.off('update', onAwareness);
          awareness.destroy();
          ws.close();
        },
      });
    });
  });
}
