import type { WeftClient } from '@weft/client';

/** Topics a device can opt into: failures and approvals, and analytics alerts. */
export type PushTopic = 'workflow-failed' | 'approval-required' | 'alert';

/**
 * Web Push for failed workflows, approvals and analytics alerts. The host side:
 * - `GET  /api/v1/push/vapid-public-key` -> `{ publicKey }` (base64url, from `web-push`'s VAPID keys)
 * - `POST /api/v1/workspaces/:ws/push-subscriptions` with `{ subscription, events }` -> `{ id }`
 *   (posting again replaces the events)
 * - `DELETE /api/v1/workspaces/:ws/push-subscriptions` with `{ endpoint }`
 * and a payload per notification of `{ kind: 'workflow-failed' | 'approval-required', workspaceId,
 * executionId, workflowName?, message? }` or `{ kind: 'alert', workspaceId, workflowId, alert,
 * active, message, workflowName? }`, which `public/sw.js` shows.
 *
 * @example
 * ```ts
 * if (pushSupported()) await enablePush(client, workspaceId);
 * ```
 */
export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The current push subscription of this browser, if any. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.ready;
  return reg.pushManager.getSubscription();
}

/**
 * Asks for permission, subscribes with the host's VAPID key and registers the subscription for
 * `events` (failures and approvals unless told); calling it again changes the events.
 */
export async function enablePush(
  client: WeftClient,
  workspaceId: string,
  events: readonly PushTopic[] = ['workflow-failed', 'approval-required'],
): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted')
    throw new Error('Notifications are blocked for this site');
  const { publicKey } = await client.transport.request<{ publicKey: string }>('GET', '/push/vapid-public-key');
  const reg = await navigator.serviceWorker.ready;
  const subscription =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  await client.transport.request('POST', `/workspaces/${encodeURIComponent(workspaceId)}/push-subscriptions`, {
    body: { subscription: subscription.toJSON(), events },
  });
}

/** Unregisters and drops this browser's subscription. */
export async function disablePush(client: WeftClient, workspaceId: string): Promise<void> {
  const subscription = await currentPushSubscription();
  if (!subscription) return;
  await client.transport
    .request('DELETE', `/workspaces/${encodeURIComponent(workspaceId)}/push-subscriptions`, {
      body: { endpoint: subscription.endpoint },
    })
    .finally(() => subscription.unsubscribe());
}
