import { html, type TemplateResult } from 'lit';

/** What a credential test answers (`POST /credentials/:id/test`). */
export interface CredentialTestReport {
  ok: boolean;
  message?: string;
  status?: number;
  host?: string;
}

/**
 * The outcome of a credential test as a status line: works, or why not — the service's HTTP
 * status, the host that was called and the reason.
 *
 * @example
 * ```ts
 * html`${testReport({ ok: false, status: 401, host: 'slack.com', message: 'invalid_auth' })}`;
 * ```
 */
export function testReport(r: CredentialTestReport): TemplateResult {
  if (r.ok) return html`<p class="notice test-report ok" role="status">✓ ${r.message ?? 'Connection works'}</p>`;
  const facts = [r.status ? `HTTP ${r.status}` : '', r.host ? `from ${r.host}` : ''].filter(Boolean).join(' ');
  return html`<p class="error test-report" role="alert">
    ✕ Connection test failed${facts ? html` (<span class="test-status">${facts}</span>)` : ''}: ${r.message ?? 'no reason given'}
  </p>`;
}
