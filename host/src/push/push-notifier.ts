import { isIP } from 'node:net';
import { AddressPolicy, BlockedAddressError, createHttpClient, type HttpClient } from '@weft/connectors';
import type { EngineEvent, Logger } from '@weft/engine';
import type { PushEventKind, PushSubscriptionRecord, PushSubscriptionStore } from '@weft/sql';
import type { Observable, Subscription } from 'rxjs';
import webPush from 'web-push';
import type { VapidDetails } from './vapid-keys.js';

/** The JSON a notification about an execution carries; the web app's service worker (`public/sw.js`) shows it. */
export interface ExecutionPushPayload {
  kind: Exclude<PushEventKind, 'alert'>;
  workspaceId: string;
  executionId: string;
  workflowName?: string;
  message?: string;
}

/**
 * The JSON of an analytics alert notification: which alert (`slo_burn`, `anomaly`) of which
 * workflow (`workflowId` '' for the workspace as a whole) started (`active`) or resolved.
 */
export interface AlertPushPayload {
  kind: 'alert';
  workspaceId: string;
  workflowId: string;
  workflowName?: string;
  alert: string;
  active: boolean;
  message: string;
}

/** What one notification carries. */
export type PushPayload = ExecutionPushPayload | AlertPushPayload;

/** An alert transition as {@link PushNotifier.notifyAlert} takes it. */
export interface PushAlert {
  workspaceId: string;
  /** '' for a workspace-wide alert. */
  workflowId: string;
  /** The alert kind (`slo_burn`, `anomaly`). */
  alert: string;
  active: boolean;
  /** The notification text. */
  message: string;
}

/** What {@link PushNotifier} needs. */
export interface PushNotifierOptions {
  store: PushSubscriptionStore;
  vapid: VapidDetails;
  logger: Logger;
  /** Whether a user is still a member of the workspace (a removed member gets nothing). */
  isMember(workspaceId: string, userId: string): Promise<boolean>;
  /** The workflow's name for the notification text. */
  workflowName(workspaceId: string, workflowId: string): Promise<string | undefined>;
  /** The execution's mode: `test` and `debug` runs (someone is watching the editor) notify nobody. */
  executionMode?(workspaceId: string, executionId: string): Promise<string | undefined>;
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  /** Deliveries waiting beyond this are dropped with a warning (default 1000). */
  maxQueued?: number;
  /** Per-delivery timeout in ms (default 10 s). */
  timeoutMs?: number;
  /**
   * CIDR ranges, addresses or host names endpoints may be on although they are private, loopback
   * or link-local (the host passes `WEFT_HTTP_ALLOW`); default none.
   */
  allow?: readonly string[];
}

const KIND: Partial<Record<EngineEvent['type'], ExecutionPushPayload['kind']>> = {
  'workflow:failed': 'workflow-failed',
  'approval:required': 'approval-required',
};

/**
 * Sends Web Push notifications when a workflow fails or waits for approval, and when an analytics
 * alert starts or resolves ({@link PushNotifier.notifyAlert}), to the subscriptions of that
 * workspace that asked for the event. Payloads are encrypted (aes128gcm) and signed with
 * VAPID by `web-push`; the request itself goes out through a bounded queue with the connectors'
 * safe HTTP client, so an endpoint on a private, loopback, link-local or cloud-metadata address
 * (checked after DNS, with no redirects) is never reached unless `allow` names it. A subscription
 * the push service answers 404/410 for is deleted. Nothing here throws into the engine: failures
 * are logged.
 *
 * @example
 * ```ts
 * const notifier = new PushNotifier({ store, vapid, logger, isMember, workflowName });
 * const sub = notifier.attach(engine.events$);
 * ```
 */
export class PushNotifier {
  /** Accept `http:` subscription endpoints (tests against a local server only). */
  allowInsecureEndpoints = false;
  readonly #o: PushNotifierOptions;
  readonly #policy: AddressPolicy;
  readonly #http: HttpClient;
  readonly #queue: Array<() => Promise<void>> = [];
  #active = 0;
  #idle: Array<() => void> = [];

  constructor(options: PushNotifierOptions) {
    this.#o = options;
    this.#policy = new AddressPolicy({ allow: options.allow ?? [] });
    this.#http = createHttpClient({ allow: options.allow ?? [], userAgent: 'weft-push' });
  }

  /** Where subscriptions are kept. */
  get store(): PushSubscriptionStore {
    return this.#o.store;
  }

  /** The VAPID public key browsers subscribe with. */
  get publicKey(): string {
    return this.#o.vapid.publicKey;
  }

  /**
   * Why an endpoint URL may not be subscribed, judged without DNS (the delivery checks resolved
   * addresses again): not https (unless {@link allowInsecureEndpoints}), or its host is an IP
   * address, `localhost` or a cloud-metadata name the address policy blocks.
   * Returns undefined when it is acceptable.
   *
   * @example
   * ```ts
   * notifier.endpointProblem('https://127.0.0.1:8443/push'); // 'https://127.0.0.1:8443 is a loopback address'
   * ```
   */
  endpointProblem(endpoint: string): string | undefined {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return 'Expected an https: URL';
    }
    if (url.protocol !== 'https:' && !(this.allowInsecureEndpoints && url.protocol === 'http:'))
      return 'Expected an https: URL';
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const loopbackName = host === 'localhost' || host.endsWith('.localhost');
    const reason =
      this.#policy.checkHost(host) ??
      (isIP(host) ? this.#policy.check(host, host) : loopbackName ? this.#policy.check(host, '127.0.0.1') : undefined);
    return reason && `${url.protocol}//${url.host} is a ${reason} address; push endpoints must be public`;
  }

  /** Subscribes to engine events; unsubscribe the result to stop. */
  attach(events$: Observable<EngineEvent>): Subscription {
    return events$.subscribe((e) => {
      if (!KIND[e.type]) return;
      this.notify(e).catch((err) =>
        this.#o.logger.error({ err: String(err), executionId: e.executionId }, 'push notification failed'),
      );
    });
  }

  /** Queues the notifications for one engine event (ignored unless failed / approval required). */
  async notify(e: EngineEvent): Promise<void> {
    const kind = KIND[e.type];
    if (!kind) return;
    const subs = await this.#o.store.forEvent(e.workspaceId, kind);
    if (!subs.length) return;
    const mode = await this.#o.executionMode?.(e.workspaceId, e.executionId).catch(() => undefined);
    if (mode === 'test' || mode === 'debug') return;
    const payload: ExecutionPushPayload = { kind, workspaceId: e.workspaceId, executionId: e.executionId };
    const name = await this.#o.workflowName(e.workspaceId, e.workflowId).catch(() => undefined);
    if (name) payload.workflowName = name;
    const message =
      e.type === 'workflow:failed' ? e.error.message : e.type === 'approval:required' ? e.message : undefined;
    if (message) payload.message = message.slice(0, 500);
    await this.#send(subs, payload);
  }

  /**
   * Queues the notifications of an analytics alert that started or resolved, for the workspace's
   * subscriptions that opted into `alert`. The service worker tags them per workflow and alert, so
   * the resolution replaces the notification of the start on the device.
   *
   * @example
   * ```ts
   * await notifier.notifyAlert({ workspaceId, workflowId: 'orders', alert: 'slo_burn', active: true, message: 'Error budget burning at 14.4x' });
   * ```
   */
  async notifyAlert(a: PushAlert): Promise<void> {
    const subs = await this.#o.store.forEvent(a.workspaceId, 'alert');
    if (!subs.length) return;
    const payload: AlertPushPayload = {
      kind: 'alert',
      workspaceId: a.workspaceId,
      workflowId: a.workflowId,
      alert: a.alert,
      active: a.active,
      message: a.message.slice(0, 500),
    };
    const name = a.workflowId
      ? await this.#o.workflowName(a.workspaceId, a.workflowId).catch(() => undefined)
      : undefined;
    if (name) payload.workflowName = name;
    await this.#send(subs, payload);
  }

  async #send(subs: readonly PushSubscriptionRecord[], payload: PushPayload): Promise<void> {
    const members = new Map<string, boolean>();
    for (const sub of subs) {
      let member = members.get(sub.userId);
      if (member === undefined) {
        member = await this.#o.isMember(sub.workspaceId, sub.userId).catch(() => false);
        members.set(sub.userId, member);
      }
      if (member) this.#enqueue(() => this.#deliver(sub, payload));
    }
  }

  /** Resolves when no delivery is queued or in flight. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Waits for queued deliveries, at most `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  #enqueue(task: () => Promise<void>): void {
    if (this.#queue.length >= (this.#o.maxQueued ?? 1000)) {
      this.#o.logger.warn({ queued: this.#queue.length }, 'push queue full; dropping a notification');
      return;
    }
    this.#queue.push(task);
    this.#pump();
  }

  #pump(): void {
    while (this.#active < (this.#o.concurrency ?? 8) && this.#queue.length) {
      const task = this.#queue.shift() as () => Promise<void>;
      this.#active++;
      void task()
        .catch((err) => this.#o.logger.error({ err: String(err) }, 'push delivery crashed'))
        .finally(() => {
          this.#active--;
          this.#pump();
          if (this.#active === 0 && this.#queue.length === 0) for (const r of this.#idle.splice(0)) r();
        });
    }
  }

  async #deliver(sub: PushSubscriptionRecord, payload: PushPayload): Promise<void> {
    const { vapid, logger } = this.#o;
    const details = webPush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: sub.keys },
      JSON.stringify(payload),
      {
        vapidDetails: vapid,
        contentEncoding: 'aes128gcm',
        TTL: 24 * 3600,
        urgency:
          payload.kind === 'approval-required' || (payload.kind === 'alert' && payload.active) ? 'high' : 'normal',
      },
    );
    const log = {
      subscriptionId: sub.id,
      kind: payload.kind,
      ...(payload.kind === 'alert' ? { workflowId: payload.workflowId } : { executionId: payload.executionId }),
    };
    let status: number;
    try {
      const res = await this.#http.request({
        method: details.method,
        url: details.endpoint,
        headers: Object.fromEntries(
          Object.entries(details.headers)
            .filter(([k]) => k.toLowerCase() !== 'content-length')
            .map(([k, v]) => [k, String(v)]),
        ),
        ...(details.body ? { body: details.body } : {}),
        followRedirects: false,
        retry: false,
        throwHttpErrors: false,
        responseType: 'bytes',
        timeoutMs: this.#o.timeoutMs ?? 10_000,
      });
      status = res.status;
    } catch (err) {
      if (err instanceof BlockedAddressError) logger.warn({ ...log, err: err.message }, 'push endpoint blocked');
      else logger.warn({ ...log, err: String(err) }, 'push service unreachable');
      return;
    }
    if (status === 404 || status === 410) {
      await this.#o.store.removeById(sub.id);
      logger.info({ ...log, status }, 'push subscription expired; deleted');
    } else if (status < 200 || status > 299) {
      logger.warn({ ...log, status }, 'push service refused the notification');
    }
  }
}
