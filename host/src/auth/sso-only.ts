import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { SsoStore } from './sso-store.js';

/**
 * Refuses password and passkey sign-in for members of a workspace that requires SSO.
 *
 * @example
 * ```ts
 * await refuseIfSsoOnly(runtime, user.id);
 * ```
 */
export async function refuseIfSsoOnly(rt: HostRuntime, userId: string): Promise<void> {
  const workspace = await new SsoStore(rt.h).ssoOnlyWorkspaceOf(userId);
  if (!workspace) return;
  const via = rt.config.sso ? `${rt.config.sso.providerName} (single sign-on)` : 'single sign-on';
  throw new ProblemError(
    403,
    'sso-required',
    `Members of the workspace "${workspace}" must sign in with ${via}, not a password or passkey`,
    { ...(rt.config.sso ? { provider: rt.config.sso.providerName } : {}) },
  );
}
