import { WeftApiError } from '@weft/client';
import { appState } from '../app/app-state.js';
import {
  type DecisionOutcome,
  type DecisionStore,
  flushDecisions,
  idbDecisionStore,
  memoryDecisionStore,
  type QueuedDecision,
  type SendFailure,
} from './decision-queue.js';

const SYNC_TAG = 'weft-decisions';

async function send(d: QueuedDecision): Promise<{ status: string }> {
  const me = appState.me?.user.id;
  if (d.userId && me && d.userId !== me) {
    throw { status: 403, message: 'Decided by another account on this device; not sent' } satisfies SendFailure;
  }
  try {
    return await appState.client.executions.decide(d.workspaceId, d.executionId, d.approved, {
      decisionId: d.decisionId,
      ...(d.comment ? { comment: d.comment } : {}),
    });
  } catch (err) {
    if (!(err instanceof WeftApiError)) throw err;
    const failure: SendFailure = {
      status: err.status,
      message: err.detail ?? err.message,
      ...(err.problem.decision ? { decision: err.problem.decision as SendFailure['decision'] } : {}),
    };
    throw failure;
  }
}

/**
 * The app's side of background sync for approvals: decisions go through the IndexedDB queue and
 * are sent at once when the host answers, else when the browser is back online (the `online`
 * event, or the service worker's `sync` event, which asks an open page to send). Listen for
 * `change` to show what is pending and what became of what was sent.
 *
 * @example
 * ```ts
 * await decisionSync.decide({ workspaceId, executionId, approved: true });
 * decisionSync.pending; // still queued: shown as "pending, will be sent"
 * ```
 */
class DecisionSync extends EventTarget {
  pending: QueuedDecision[] = [];
  /** What the flushes of this page decided, newest last. */
  outcomes: DecisionOutcome[] = [];
  private flushing: Promise<void> | undefined;
  private readonly store: DecisionStore = 'indexedDB' in globalThis ? idbDecisionStore : memoryDecisionStore();

  /** Queues a decision and tries to send it now. */
  async decide(input: Omit<QueuedDecision, 'decisionId' | 'queuedAt'>): Promise<void> {
    const userId = appState.me?.user.id;
    await this.store.put({
      ...input,
      ...(userId ? { userId } : {}),
      decisionId: crypto.randomUUID(),
      queuedAt: Date.now(),
    });
    await this.refresh();
    void this.requestBackgroundSync();
    await this.flush();
  }

  /** Sends what is queued (one flush at a time per page, and across tabs where Web Locks exist). */
  flush(): Promise<void> {
    this.flushing ??= this.locked(async () => {
      if (!appState.client.signedIn) return;
      const done = await flushDecisions(this.store, send);
      if (done.length) this.outcomes = [...this.outcomes, ...done];
    }).finally(() => {
      this.flushing = undefined;
      void this.refresh();
    });
    return this.flushing;
  }

  /** Re-reads the queue (the service worker may have added to it). */
  async refresh(): Promise<void> {
    this.pending = await this.store.all().catch(() => this.pending);
    this.dispatchEvent(new Event('change'));
  }

  private locked(run: () => Promise<void>): Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request(SYNC_TAG, () => run()).then(() => undefined) : run();
  }

  private async requestBackgroundSync(): Promise<void> {
    if (!('serviceWorker' in navigator)) return;
    const reg = (await navigator.serviceWorker.getRegistration()) as
      | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
      | undefined;
    await reg?.sync?.register(SYNC_TAG).catch(() => undefined);
  }

  /** Sends on `online`, when the service worker asks (its `sync` event, a notification action), and now. */
  start(): void {
    window.addEventListener('online', () => void this.flush());
    navigator.serviceWorker?.addEventListener('message', (e: MessageEvent) => {
      if ((e.data as { type?: string } | undefined)?.type === 'weft-flush-decisions') void this.flush();
    });
    appState.addEventListener('change', () => {
      if (appState.me && this.pending.length) void this.flush();
    });
    void this.refresh().then(() => this.flush());
  }
}

/** The app's one {@link DecisionSync}. */
export const decisionSync = new DecisionSync();
