/**
 * An approval decision taken while the host could not be reached, waiting to be sent. One per
 * execution (deciding again before it is sent replaces it); `decisionId` is its idempotency key, so
 * a resend after a lost response is answered "already applied" rather than applied twice.
 */
export interface QueuedDecision {
  decisionId: string;
  workspaceId: string;
  executionId: string;
  approved: boolean;
  comment?: string;
  /** Who decided (absent when a notification action queued it): only their session sends it. */
  userId?: string;
  /** What the approver saw (workflow name), for the "pending" notice. */
  label?: string;
  queuedAt: number;
}

/** Where queued decisions wait: IndexedDB in the app and its service worker, memory in tests. */
export interface DecisionStore {
  all(): Promise<QueuedDecision[]>;
  put(decision: QueuedDecision): Promise<void>;
  remove(executionId: string): Promise<void>;
}

/** What became of one queued decision when it was sent. */
export type DecisionOutcome =
  | { decision: QueuedDecision; result: 'applied'; status: string }
  | { decision: QueuedDecision; result: 'conflict'; message: string }
  | { decision: QueuedDecision; result: 'failed'; message: string };

/** The host's answer to a decision that was not applied. */
export interface SendFailure {
  status?: number;
  message: string;
  /** From a 409: the decision someone took first. */
  decision?: { approved?: boolean; by?: string; byName?: string; decisionId?: string };
}

/** Sends one decision; resolves with the execution's status, rejects with a {@link SendFailure} or a network error. */
export type SendDecision = (decision: QueuedDecision) => Promise<{ status: string }>;

const RETRYABLE = new Set([401, 408, 425, 429]);

/** "Already approved by Edith": the words for a decision that lost to another one. */
export function conflictMessage(failure: SendFailure): string {
  const d = failure.decision;
  if (typeof d?.approved !== 'boolean') return failure.message;
  return `Already ${d.approved ? 'approved' : 'rejected'}${d.byName ? ` by ${d.byName}` : ''}`;
}

/**
 * Sends every queued decision, oldest first, once each. Applied ones and ones the host refuses
 * (a 409 conflict: someone decided first; another 4xx: gone or not allowed) leave the queue; on a
 * network error, a 5xx, or an expired session they stay, to go with the next flush.
 *
 * @example
 * ```ts
 * const outcomes = await flushDecisions(store, (d) => client.transport.request('POST', url(d), { body }));
 * ```
 */
export async function flushDecisions(store: DecisionStore, send: SendDecision): Promise<DecisionOutcome[]> {
  const outcomes: DecisionOutcome[] = [];
  const queued = (await store.all()).sort((a, b) => a.queuedAt - b.queuedAt);
  for (const decision of queued) {
    try {
      const { status } = await send(decision);
      outcomes.push({ decision, result: 'applied', status });
    } catch (err) {
      const f = err as Partial<SendFailure>;
      if (typeof f.status !== 'number' || f.status >= 500 || RETRYABLE.has(f.status)) continue;
      const failure: SendFailure = { ...f, status: f.status, message: f.message ?? `HTTP ${f.status}` };
      outcomes.push(
        f.status === 409
          ? { decision, result: 'conflict', message: conflictMessage(failure) }
          : { decision, result: 'failed', message: failure.message },
      );
    }
    await store.remove(decision.executionId);
  }
  return outcomes;
}

/** A store in memory (tests, and browsers without IndexedDB). */
export function memoryDecisionStore(): DecisionStore {
  const map = new Map<string, QueuedDecision>();
  return {
    async all() {
      return [...map.values()];
    },
    async put(d) {
      map.set(d.executionId, d);
    },
    async remove(id) {
      map.delete(id);
    },
  };
}

/** The database `public/sw.js` shares: keep its name and layout in step with the worker. */
export const DECISION_DB = { name: 'weft-decisions', version: 1, store: 'decisions' } as const;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const open = indexedDB.open(DECISION_DB.name, DECISION_DB.version);
  open.onupgradeneeded = () => open.result.createObjectStore(DECISION_DB.store, { keyPath: 'executionId' });
  const db = await request(open);
  try {
    return await request(run(db.transaction(DECISION_DB.store, mode).objectStore(DECISION_DB.store)));
  } finally {
    db.close();
  }
}

/** The queue in IndexedDB, shared with the service worker (notification actions add to it). */
export const idbDecisionStore: DecisionStore = {
  all: () => withStore('readonly', (s) => s.getAll() as IDBRequest<QueuedDecision[]>),
  put: async (d) => {
    await withStore('readwrite', (s) => s.put(d));
  },
  remove: async (id) => {
    await withStore('readwrite', (s) => s.delete(id));
  },
};
