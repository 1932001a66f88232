import type { OAuth2Status } from '@weft/client';
import { html, nothing, type TemplateResult } from 'lit';
import { appState } from '../app/app-state.js';

/** How a Connect ended, as the host's callback page announced it. */
export interface OAuth2ConnectResult {
  ok: boolean;
  message: string;
  account?: string;
  expiresAt?: number;
}

/** Where the provider sends the browser back: register it with the provider. */
export const oauth2RedirectUrl = (): string => `${location.origin}/api/v1/oauth2/callback`;

/**
 * Runs OAuth2 Connect for a stored credential (`signal` cancels the wait): opens a popup right away (in the click, so blockers
 * let it through), asks the host for the authorization URL (state + PKCE challenge), sends the
 * popup there and waits for the host's callback page to announce the result on the `weft-oauth2`
 * BroadcastChannel. The popup cannot be watched directly (the host isolates its pages with
 * Cross-Origin-Opener-Policy), so the wait ends at the state's expiry with a message. Without a
 * popup the page itself goes to the provider and the callback page links back.
 *
 * @example
 * ```ts
 * const r = await connectOAuth2(credential.id);
 * if (r.ok) notice = r.message; // 'Connected as ada@example.com'
 * ```
 */
export async function connectOAuth2(credentialId: string, signal?: AbortSignal): Promise<OAuth2ConnectResult> {
  const ws = appState.workspaceId as string;
  const popup = window.open('about:blank', `weft-oauth2-${credentialId}`, 'popup,width=560,height=720');
  const channel = new BroadcastChannel('weft-oauth2');
  try {
    const start = await appState.client.workspaces.connectCredential(ws, credentialId);
    const result = new Promise<OAuth2ConnectResult>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({
            ok: false,
            message: 'No answer from the provider before the authorization expired (10 minutes): press Connect again.',
          }),
        Math.max(0, start.expiresAt - Date.now()),
      );
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        popup?.close();
        resolve({ ok: false, message: 'Connection cancelled: the credential is saved, connect it any time.' });
      });
      channel.onmessage = (e: MessageEvent) => {
        const m = e.data as { type?: string; credentialId?: string } & OAuth2ConnectResult;
        if (m?.type !== 'weft-oauth2' || m.credentialId !== credentialId) return;
        clearTimeout(timer);
        resolve({
          ok: m.ok,
          message: m.message,
          ...(m.account ? { account: m.account } : {}),
          ...(m.expiresAt ? { expiresAt: m.expiresAt } : {}),
        });
      };
    });
    if (popup) popup.location.href = start.authorizationUrl;
    else location.assign(start.authorizationUrl);
    return await result;
  } catch (e) {
    popup?.close();
    throw e;
  } finally {
    channel.close();
  }
}

const when = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * An OAuth2 credential's connection as a status line: "Connected as … · token expires …" (the
 * expiry is renewed automatically when the provider gave a refresh token) or "Not connected".
 *
 * @example
 * ```ts
 * html`${oauth2StatusLine(credential.oauth2)}`
 * ```
 */
export function oauth2StatusLine(s: OAuth2Status | undefined): TemplateResult | typeof nothing {
  if (!s) return nothing;
  if (!s.connected) return html`<p class="oauth2-status muted" data-connected="false">Not connected</p>`;
  return html`<p class="oauth2-status" data-connected="true">
    <span class="ok-dot" aria-hidden="true"></span>Connected${s.account ? html` as <strong>${s.account}</strong>` : nothing}${
      s.expiresAt
        ? html` · access token ${s.expiresAt > Date.now() ? 'expires' : 'expired'} ${when(s.expiresAt)}`
        : nothing
    }</p>`;
}
