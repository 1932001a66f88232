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
 * Runs OAuth2 Connect for a stored credential (`signal` cancels the wait): opens a popup right
 * away (in the click, so blockers let it through), asks the host to start the authorization (state
 * + PKCE challenge) and sends the popup to the host's single-use Connect link, which binds the
 * state to this browser with a first-party cookie and goes on to the provider. The host's callback
 * page answers two ways and the first to arrive wins: `postMessage` to its opener (this window;
 * for the app framed on another site, whose BroadcastChannel a browser that partitions
 * third-party storage keeps apart from the popup) and the `weft-oauth2` BroadcastChannel
 * (the top-level app, whose Cross-Origin-Opener-Policy cuts the popup's opener). Messages count
 * only from the app's own origin and for this credential. Without an answer the wait ends at the
 * state's expiry with a message. Without a popup the page itself goes to the provider and the
 * callback page links back.
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
  let onMessage: ((e: MessageEvent) => void) | undefined;
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
      onMessage = (e: MessageEvent) => {
        if (e.origin !== location.origin) return;
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
      channel.onmessage = onMessage;
      window.addEventListener('message', onMessage);
    });
    if (popup) popup.location.href = start.connectUrl;
    else location.assign(start.connectUrl);
    return await result;
  } catch (e) {
    popup?.close();
    throw e;
  } finally {
    channel.close();
    if (onMessage) window.removeEventListener('message', onMessage);
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
