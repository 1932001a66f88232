import { WeftApiError } from '@weft/client';
import { html, type TemplateResult } from 'lit';

/**
 * Short local date-time of an epoch-ms timestamp.
 *
 * @example
 * ```ts
 * formatTime(Date.now()) // '25 Nov, 19:15:02'
 * ```
 */
export function formatTime(ms: number | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Duration between two timestamps, e.g. `42 ms` or `1.3 s`. */
export function formatDuration(from: number | undefined, to: number | undefined): string {
  if (!from || !to) return '—';
  const ms = to - from;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A coloured status pill (`succeeded`, `failed`, `waiting`, ...). */
export function statusPill(status: string): TemplateResult {
  return html`<span class="pill status-${status}">${status}</span>`;
}

/** A user-facing message for an error, with the field problems of a validation error. */
export function errorMessage(e: unknown): string {
  if (e instanceof WeftApiError) {
    const fields = e.errors.map((f) => `${f.path}: ${f.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  if (e instanceof TypeError) return 'The server cannot be reached. Check your connection.';
  return e instanceof Error ? e.message : String(e);
}

/** An alert box for an error, or nothing. */
export function errorBox(error: string | undefined): TemplateResult | string {
  return error ? html`<p class="error" role="alert">${error}</p>` : '';
}
