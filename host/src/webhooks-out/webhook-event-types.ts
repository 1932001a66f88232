/**
 * The platform events a workspace can subscribe to, with what each means. `webhook.test` is sent
 * by "send test event" only.
 *
 * @example
 * ```ts
 * const ok = WEBHOOK_EVENT_TYPES.some((e) => e.type === 'execution.failed'); // true
 * ```
 */
export const WEBHOOK_EVENT_TYPES = [
  { type: 'execution.succeeded', description: 'An execution of a workflow finished successfully' },
  { type: 'execution.failed', description: 'An execution of a workflow failed' },
  { type: 'approval.required', description: 'An execution is waiting for a person to approve' },
  { type: 'workflow.activated', description: 'A workflow was activated: its triggers are live' },
  { type: 'workflow.deactivated', description: 'A workflow was deactivated: its triggers stopped' },
  { type: 'alert.slo_burn', description: "A workflow's SLO error budget started burning too fast (burn-rate alert)" },
  { type: 'alert.slo_burn.resolved', description: "A workflow's SLO burn-rate alert stopped" },
  { type: 'alert.anomaly', description: "A workflow's error rate became anomalous for its hour of the week" },
  { type: 'alert.anomaly.resolved', description: "A workflow's error-rate anomaly ended" },
] as const;

/** One subscribable event type. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]['type'];

/** Event type names, plus `*` (every event). */
export const WEBHOOK_EVENT_NAMES: readonly string[] = ['*', ...WEBHOOK_EVENT_TYPES.map((e) => e.type)];

/** The event a test ping sends. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
