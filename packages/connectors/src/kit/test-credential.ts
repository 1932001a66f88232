import type { ResolvedCredential } from '@weft/engine';
import { secretValuesOf } from '../auth/auth-scheme.js';
import { HttpError } from '../http/http-error.js';
import { Redactor } from '../vault/redactor.js';
import { type ConnectorRuntime, createConnectorContext } from './connector-runtime.js';
import { authSchemesOf, type ConnectorDefinition } from './define-connector.js';

/**
 * The outcome of a test-connection.
 *
 * @example
 * ```ts
 * const result: CredentialTestResult = await testCredential(github, credential);
 * if (!result.ok) console.warn(result.message);
 * ```
 */
export type CredentialTestResult =
  | { ok: true }
  | {
      ok: false;
      /** Why it failed, without the secret. */
      message: string;
      /** The HTTP status the service answered with, when it answered. */
      status?: number;
      /** The host the test called last (`slack.com`), when it made a request. */
      host?: string;
    };

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * Test-connection: runs the `test` of the credential's auth scheme with the credential applied.
 * An HTTP 401/403 becomes "rejected"; other failures keep their message. The message never
 * contains the secret (it is built from status and API error text only).
 *
 * @example
 * ```ts
 * const result = await testCredential(github, await vault.resolve({ workspaceId, credentialId, nodeType: 'test' }), runtime);
 * if (!result.ok) showError(result.message);
 * ```
 */
export async function testCredential(
  connector: ConnectorDefinition,
  credential: ResolvedCredential,
  runtime: ConnectorRuntime = {},
  options: { workspaceId?: string; signal?: AbortSignal } = {},
): Promise<CredentialTestResult> {
  const scheme = authSchemesOf(connector).find((s) => s.type === credential.type);
  if (!scheme)
    return { ok: false, message: `Connector "${connector.name}" does not accept credential type ${credential.type}` };
  if (!scheme.test) return { ok: false, message: `Credential type ${credential.type} has no connection test` };
  const workspaceId = options.workspaceId ?? 'default';
  // Every string of the credential (a test message may quote anything), its wire forms, and the
  // OAuth2 token the signer obtains.
  const strings = Object.values(credential.data).filter((v): v is string => typeof v === 'string');
  const redactor = new Redactor([...strings, ...secretValuesOf(scheme, credential.data)]);
  let lastUrl: string | undefined;
  const at = () => {
    const host = hostOf(lastUrl);
    return host ? { host } : {};
  };
  try {
    const ctx = createConnectorContext(
      connector,
      {
        props: {},
        credential,
        workspaceId,
        scope: `${workspaceId}/test`,
        ...(options.signal ? { signal: options.signal } : {}),
        onSecret: (value) => redactor.add(value),
      },
      runtime,
    );
    const http = ctx.http;
    const recording: typeof http = {
      ...http,
      request: (r) => {
        lastUrl = r.url;
        return http.request(r);
      },
      withSigner: (signer) => http.withSigner(signer),
    };
    await scheme.test({ http: recording, data: credential.data, signal: ctx.signal });
    return { ok: true };
  } catch (err) {
    if (err instanceof HttpError) {
      lastUrl = err.url;
      if (err.status === 401 || err.status === 403)
        return {
          ok: false,
          message: `The service rejected the credential (HTTP ${err.status})`,
          status: err.status,
          ...at(),
        };
      return { ok: false, message: redactor.redact(err.message), status: err.status, ...at() };
    }
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    // Connectors that rewrap API errors keep the status only in their message ("… (HTTP 401) …").
    const status = /\bHTTP (\d{3})\b/.exec(message)?.[1];
    return { ok: false, message, ...(status ? { status: Number(status) } : {}), ...at() };
  }
}
