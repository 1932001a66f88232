import type { Item, JsonObject, ResolvedCredential } from '@weft/engine';
import { secretValuesOf } from '../auth/auth-scheme.js';
import { Redactor } from '../vault/redactor.js';
import { authSchemesOf, type ConnectorDefinition } from './define-connector.js';

/*
 * Why redaction of execution data lives in the connector kit and not in the engine (as a hook on
 * NodeType or EngineOptions):
 * - Only the kit knows what is secret: which fields the credential's auth scheme marks `secret`,
 *   the wire forms a signer derives from them (basic auth's base64 `user:password`) and the
 *   secrets obtained while the node runs (an OAuth2 access token refreshed mid-run, which the
 *   resolved credential the engine saw does not hold). An engine hook would have to redact every
 *   string of the credential — user names, header names, client ids — or ask the kit anyway.
 * - Cost: the engine would test every node of every execution; here a node that resolved no
 *   credential never reaches this code, and its items keep their identity (no copy, no scan).
 * - Connector node types are the only ones that resolve credentials (`ctx.credential`); a custom
 *   NodeType that calls it itself must redact its own output, with the same helpers.
 */

/**
 * The redactor for what a connector node hands back while using `credential`: the values of the
 * credential's secret fields and their wire forms (see `secretValuesOf`). Undefined without a
 * credential, so callers skip redaction entirely. Add run-time secrets (OAuth2 tokens) to it as
 * the signer reports them.
 *
 * @example
 * ```ts
 * const redactor = credentialRedactor(httpRequestConnector, { id: 'c1', type: 'http.bearer', data: { token: 'tok-123456' } });
 * redactItems([{ json: { echoed: 'Bearer tok-123456' } }], redactor); // [{ json: { echoed: 'Bearer [REDACTED]' } }]
 * ```
 */
export function credentialRedactor(
  connector: ConnectorDefinition,
  credential: ResolvedCredential | undefined,
): Redactor | undefined {
  if (!credential) return undefined;
  const scheme = authSchemesOf(connector).find((s) => s.type === credential.type);
  const secrets = scheme ? secretValuesOf(scheme, credential.data) : stringValues(credential.data);
  return new Redactor(secrets);
}

function stringValues(data: JsonObject): string[] {
  return Object.values(data).filter((v): v is string => typeof v === 'string');
}

/**
 * `items` with the redactor's secrets removed from each item's `json` (only the known secret
 * values: a token the workflow fetched on purpose stays). Binary data is left alone: its bytes are
 * the file the API sent, and rewriting them would corrupt it. Returns `items` itself — same array,
 * same items — when there is no redactor or nothing matched.
 *
 * @example
 * ```ts
 * const out = redactItems(items, credentialRedactor(connector, credential));
 * ```
 */
export function redactItems(items: Item[], redactor: Redactor | undefined): Item[] {
  if (!redactor || redactor.size === 0) return items;
  let out: Item[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const json = redactor.redact(item.json, { keys: false });
    if (json === item.json) continue;
    out ??= items.slice();
    out[i] = { ...item, json };
  }
  return out ?? items;
}
