import type { ExecutionDetail, ExecutionRecord } from '@weft/client';

const DB = 'weft-offline';
const VERSION = 1;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      const list = db.createObjectStore('executions', { keyPath: 'id' });
      list.createIndex('workspace', 'workspaceId');
      db.createObjectStore('details', { keyPath: 'id' });
      db.createObjectStore('meta');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * The execution history kept in IndexedDB so the app can show it offline: the last synced list
 * per workspace and every execution detail that was opened, with the time of the last sync.
 *
 * @example
 * ```ts
 * await executionCache.saveList(ws, page.items);
 * const { items, syncedAt } = await executionCache.list(ws); // when offline
 * ```
 */
export const executionCache = {
  /** Replaces the workspace's cached list with the latest page from the host. */
  async saveList(workspaceId: string, items: ExecutionRecord[]): Promise<void> {
    const db = await open();
    const tx = db.transaction(['executions', 'meta'], 'readwrite');
    const store = tx.objectStore('executions');
    const old = await result(store.index('workspace').getAllKeys(workspaceId));
    for (const key of old) store.delete(key);
    for (const item of items) store.put(item);
    tx.objectStore('meta').put(Date.now(), `synced:${workspaceId}`);
    await done(tx);
    db.close();
  },

  /** The cached list, newest first, and when it was synced (undefined: never). */
  async list(workspaceId: string): Promise<{ items: ExecutionRecord[]; syncedAt: number | undefined }> {
    const db = await open();
    const tx = db.transaction(['executions', 'meta'], 'readonly');
    const items = (await result(
      tx.objectStore('executions').index('workspace').getAll(workspaceId),
    )) as ExecutionRecord[];
    const syncedAt = (await result(tx.objectStore('meta').get(`synced:${workspaceId}`))) as number | undefined;
    db.close();
    return { items: items.sort((a, b) => b.startedAt - a.startedAt), syncedAt };
  },

  async saveDetail(detail: ExecutionDetail): Promise<void> {
    const db = await open();
    const tx = db.transaction('details', 'readwrite');
    tx.objectStore('details').put(detail);
    await done(tx);
    db.close();
  },

  async detail(id: string): Promise<ExecutionDetail | undefined> {
    const db = await open();
    const value = (await result(db.transaction('details', 'readonly').objectStore('details').get(id))) as
      | ExecutionDetail
      | undefined;
    db.close();
    return value;
  },

  /** Forgets everything (sign-out). */
  async clear(): Promise<void> {
    const db = await open();
    const tx = db.transaction(['executions', 'details', 'meta'], 'readwrite');
    for (const s of ['executions', 'details', 'meta']) tx.objectStore(s).clear();
    await done(tx);
    db.close();
  },
};
