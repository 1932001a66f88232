import { type CollabUser, SharedWorkflow, seedUpdate } from '@weft/canvas/collab';
import type { StoredWorkflow } from '@weft/client';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { appState } from '../app/app-state.js';

const COLOURS = ['#e5484d', '#0090ff', '#30a46c', '#f76b15', '#8e4ec6', '#d6409f', '#12a594', '#ad7f58'];

/** A stable colour per user id. */
export function userColour(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length] as string;
}

/**
 * The editor's membership of a workflow's shared document: a Y.Doc synced with the host's
 * `/collab` socket (y-websocket), seeded from the saved version when nobody has it open, with
 * this user's presence. Going offline keeps editing locally; back online, the edits merge.
 *
 * @example
 * ```ts
 * const session = new CollabSession(workspaceId, stored);
 * await session.ready;
 * canvas.shared = session.shared;
 * ```
 */
export class CollabSession extends EventTarget {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly shared: SharedWorkflow;
  /** Resolves once the document holds the workflow (synced, or seeded from the saved version). */
  readonly ready: Promise<void>;
  /** Whether the signed-in user may only watch (viewers and operators). */
  readonly readonly: boolean;
  #online = () => this.provider.connect();
  #offline = () => this.provider.disconnect();

  constructor(workspaceId: string, stored: StoredWorkflow) {
    super();
    const me = appState.me?.user;
    const user: CollabUser = {
      name: me?.name || me?.email || 'Guest',
      color: userColour(me?.id ?? String(this.doc.clientID)),
    };
    const role = appState.workspace?.role;
    this.readonly = role === 'viewer' || role === 'operator';
    const base = location.origin.replace(/^http/, 'ws');
    this.provider = new WebsocketProvider(
      `${base}/api/v1/workspaces/${encodeURIComponent(workspaceId)}/workflows`,
      `${encodeURIComponent(stored.id)}/collab`,
      this.doc,
      { params: { access_token: appState.client.transport.token ?? '' }, connect: navigator.onLine },
    );
    // A reconnect uses the current access token; a refused one is refreshed first.
    this.provider.on('status', ({ status }) => {
      if (status === 'connecting') this.provider.params.access_token = appState.client.transport.token ?? '';
      if (status !== 'connecting') this.#forgetGone();
      if (status === 'connected') this.#reannounce();
      this.dispatchEvent(new Event('change'));
    });
    this.provider.on('connection-error', () => void appState.client.transport.refresh());
    this.shared = new SharedWorkflow(this.doc, { awareness: this.provider.awareness, user });
    this.provider.awareness.on('change', () => this.dispatchEvent(new Event('change')));
    window.addEventListener('online', this.#online);
    window.addEventListener('offline', this.#offline);
    const seed = () => {
      if (this.shared.empty) Y.applyUpdate(this.doc, seedUpdate(stored.workflow, `${stored.id}@${stored.version}`));
    };
    this.ready = navigator.onLine
      ? new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            seed();
            resolve();
          };
          // Offline or a host that does not answer: edit the saved version alone until it does.
          const timer = setTimeout(done, 4000);
          this.provider.once('sync', done);
        })
      : Promise.resolve(seed());
  }

  /**
   * After a reconnect the others hold this user's presence as removed at a later clock than the
   * one it still has, and ignore it: two renewals put it ahead again.
   */
  #reannounce(): void {
    const a = this.provider.awareness;
    const state = a.getLocalState();
    if (!state) return;
    a.setLocalState({ ...state });
    a.setLocalState({ ...state });
  }

  /** Forgets the clocks of users no longer here, so their presence is taken again when the host resends it. */
  #forgetGone(): void {
    const a = this.provider.awareness;
    for (const id of [...a.meta.keys()]) if (id !== a.clientID && !a.getStates().has(id)) a.meta.delete(id);
  }

  /** Whether the socket is connected. */
  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Everyone here, this user first: name and colour. */
  get people(): CollabUser[] {
    const states = this.provider.awareness.getStates();
    const mine = states.get(this.doc.clientID)?.user as CollabUser | undefined;
    return [...(mine ? [mine] : []), ...this.shared.remotes().map((r) => r.user)];
  }

  close(): void {
    window.removeEventListener('online', this.#online);
    window.removeEventListener('offline', this.#offline);
    this.shared.destroy();
    this.provider.destroy();
    this.doc.destroy();
  }
}
