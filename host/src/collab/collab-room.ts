import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { writePermissionDenied } from 'y-protocols/auth';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import {
  messageYjsSyncStep1,
  messageYjsSyncStep2,
  messageYjsUpdate,
  readSyncStep1,
  writeSyncStep1,
  writeUpdate,
} from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabBus, CollabBusMessage } from './collab-bus.js';

/** y-websocket message types. */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
const BUS = Symbol('collab-bus');
/** How long a new replica waits for the other processes' state before it answers clients. */
const PEER_WAIT_MS = 400;

/** One connected client of a room. */
export interface CollabPeer {
  send(data: Uint8Array): void;
  /** Whether this client may change the document (editors); viewers only receive. */
  canWrite: boolean;
}

/**
 * One shared workflow document on this process: a Y.Doc and its awareness, the clients connected
 * here (speaking the y-websocket protocol) and, through the bus, the replicas on other processes.
 * A new replica asks the others for their state first; without any (or without Redis) it starts
 * empty and the first editor's client seeds it from the saved version.
 *
 * @example
 * ```ts
 * const room = await CollabRoom.open('ws1/wf1', localCollabBus);
 * room.join(peer); room.receive(peer, bytes); room.leave(peer);
 * ```
 */
export class CollabRoom {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly peers = new Map<CollabPeer, Set<number>>();
  #stop: () => void = () => {};

  private constructor(
    readonly name: string,
    private readonly bus: CollabBus,
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      writeUpdate(e, update);
      this.#broadcast(encoding.toUint8Array(e));
      if (origin !== BUS) bus.publish(name, { kind: 'update', data: update });
    });
    this.awareness.on('update', (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...c.added, ...c.updated, ...c.removed];
      const owner = this.peers.get(origin as CollabPeer);
      if (owner) {
        for (const id of c.added) owner.add(id);
        for (const id of c.removed) owner.delete(id);
      }
      const data = encodeAwarenessUpdate(this.awareness, changed);
      this.#broadcast(this.#awarenessMessage(data));
      if (origin !== BUS) bus.publish(name, { kind: 'awareness', data });
    });
  }

  /** Creates the replica of `name`, subscribed to the bus and, when other processes may hold it, filled from them. */
  static async open(name: string, bus: CollabBus): Promise<CollabRoom> {
    const room = new CollabRoom(name, bus);
    let answered: () => void = () => {};
    const first = new Promise<void>((r) => {
      answered = r;
    });
    room.#stop = await bus.subscribe(name, (m) => {
      room.#fromBus(m);
      if (m.kind !== 'hello') answered();
    });
    if (bus.shared) {
      bus.publish(name, { kind: 'hello', data: Y.encodeStateVector(room.doc) });
      await Promise.race([first, new Promise((r) => setTimeout(r, PEER_WAIT_MS))]);
    }
    return room;
  }

  #fromBus(m: CollabBusMessage): void {
    if (m.kind === 'update') Y.applyUpdate(this.doc, m.data, BUS);
    else if (m.kind === 'awareness') applyAwarenessUpdate(this.awareness, m.data, BUS);
    else if (this.doc.store.clients.size > 0 || this.awareness.getStates().size > 0) {
      this.bus.publish(this.name, { kind: 'update', data: Y.encodeStateAsUpdate(this.doc, m.data) });
      const ids = [...this.awareness.getStates().keys()];
      if (ids.length)
        this.bus.publish(this.name, { kind: 'awareness', data: encodeAwarenessUpdate(this.awareness, ids) });
    }
  }

  #awarenessMessage(update: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
    return encoding.toUint8Array(e);
  }

  #broadcast(data: Uint8Array): void {
    for (const peer of this.peers.keys()) peer.send(data);
  }

  /** Adds a client: sends it sync step 1 and everyone's presence. */
  join(peer: CollabPeer): void {
    this.peers.set(peer, new Set());
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    writeSyncStep1(e, this.doc);
    peer.send(encoding.toUint8Array(e));
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length) peer.send(this.#awarenessMessage(encodeAwarenessUpdate(this.awareness, ids)));
  }

  /** Handles one message from a client; a viewer's document changes are refused with an auth message. */
  receive(peer: CollabPeer, message: Uint8Array): void {
    const d = decoding.createDecoder(message);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_SYNC) {
      const sub = decoding.readVarUint(d);
      if (sub === messageYjsSyncStep1) {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        readSyncStep1(d, e, this.doc);
        peer.send(encoding.toUint8Array(e));
      } else if (sub === messageYjsSyncStep2 || sub === messageYjsUpdate) {
        const update = decoding.readVarUint8Array(d);
        if (peer.canWrite) Y.applyUpdate(this.doc, update, peer);
        else if (changesSomething(this.doc, update)) peer.send(denied('viewers cannot edit this workflow'));
      }
    } else if (type === MESSAGE_AWARENESS) {
      applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), peer);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      const ids = [...this.awareness.getStates().keys()];
      peer.send(this.#awarenessMessage(encodeAwarenessUpdate(this.awareness, ids)));
    }
  }

  /** Removes a client and its presence; true when the room has no client left on this process. */
  leave(peer: CollabPeer): boolean {
    const ids = this.peers.get(peer);
    this.peers.delete(peer);
    if (ids?.size) removeAwarenessStates(this.awareness, [...ids], null);
    return this.peers.size === 0;
  }

  /** Unsubscribes from the bus and frees the document. */
  close(): void {
    this.#stop();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** Whether applying `update` would change `doc` (a client's empty sync answer does not). */
function changesSomething(doc: Y.Doc, update: Uint8Array): boolean {
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
  let changed = false;
  probe.on('update', () => {
    changed = true;
  });
  Y.applyUpdate(probe, update);
  probe.destroy();
  return changed;
}

function denied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AUTH);
  writePermissionDenied(e, reason);
  return encoding.toUint8Array(e);
}
