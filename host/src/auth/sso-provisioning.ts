import type { UserSecrets } from '@weft/sql';
import { hostAudit } from '../compliance/host-audit.js';
import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { seedExamples } from '../workflows/seed-examples.js';
import type { SsoIdentity } from './oidc-login.js';
import type { GroupRole, OidcLoginSettings } from './oidc-settings.js';
import { atLeast, type Role } from './roles.js';
import type { SsoStore } from './sso-store.js';

/** Who made the request, for the audit entries provisioning writes. */
export interface SsoRequestInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/**
 * The highest role any of `groups` maps to, if one does.
 *
 * @example
 * ```ts
 * mappedRole(['eng', 'admins'], [{ group: 'admins', role: 'admin' }, { group: 'eng', role: 'editor' }]); // 'admin'
 * ```
 */
export function mappedRole(groups: string[], map: GroupRole[]): Role | undefined {
  let best: Role | undefined;
  for (const { group, role } of map) {
    if (groups.includes(group) && (!best || !atLeast(best, role))) best = role;
  }
  return best;
}

/**
 * The account behind an SSO identity: the one linked to the provider's subject, else the account
 * with the same (provider-verified) email, which is then linked, else a new account when
 * provisioning is on. The user then joins the default workspace with the role their groups map to
 * (or the default role), or gets a workspace of their own when none is configured. On later
 * sign-ins a mapped role replaces the member's role there (owners stay owners). New accounts and
 * role changes are written to the audit log.
 *
 * @example
 * ```ts
 * const user = await ssoUser(runtime, settings, store, identity, { ip, userAgent, requestId });
 * ```
 */
export async function ssoUser(
  rt: HostRuntime,
  s: OidcLoginSettings,
  store: SsoStore,
  who: SsoIdentity,
  info: SsoRequestInfo,
): Promise<UserSecrets> {
  const linked = await store.userOf(who.issuer, who.subject);
  let user = linked ? await rt.identity.userById(linked) : undefined;
  let created = false;
  if (!user) {
    const same = await rt.identity.userByEmail(who.email);
    if (same && who.emailVerified !== true)
      throw new ProblemError(
        403,
        'sso-email-unverified',
        `An account with ${who.email} exists; the identity provider must mark that email verified before it can sign in to it`,
      );
    if (!same && !s.provision)
      throw new ProblemError(403, 'sso-user-unknown', `No account for ${who.email}; ask an admin for an invitation`);
    if (!same && who.emailVerified === false)
      throw new ProblemError(403, 'sso-email-unverified', `The identity provider has not verified ${who.email}`);
    if (same) user = same;
    else {
      const made = await rt.identity.createUser({ email: who.email, name: who.name ?? null, passwordHash: null });
      user = { ...made, passwordHash: null, totpSecret: null, recoveryCodes: [] };
      created = true;
    }
  }
  await store.link(who.issuer, who.subject, user.id, who.email);
  const audit = (workspaceId: string, action: string, changes: Record<string, unknown>) =>
    hostAudit(rt).record({
      workspaceId,
      actor: { type: 'user', id: user.id },
      action,
      resource: { type: 'member', id: user.id },
      outcome: 'success',
      at: Date.now(),
      ...info,
      changes: { ...changes, issuer: who.issuer, groups: who.groups.slice(0, 50) },
    });
  if (s.defaultWorkspaceId) {
    const ws = await rt.identity.workspace(s.defaultWorkspaceId);
    if (!ws)
      throw new ProblemError(
        503,
        'sso-misconfigured',
        `WEFT_OIDC_DEFAULT_WORKSPACE names workspace "${s.defaultWorkspaceId}", which does not exist`,
      );
    const current = await rt.identity.roleOf(ws.id, user.id);
    const mapped = mappedRole(who.groups, s.roleMap);
    const next = current === 'owner' ? undefined : (mapped ?? (current ? undefined : s.defaultRole));
    if (next && next !== current) {
      await rt.identity.setMember(ws.id, user.id, next);
      audit(ws.id, current ? 'member.sso.role' : 'member.sso.provision', {
        role: next,
        ...(current ? { from: current } : {}),
      });
    }
  } else if (created) {
    const ws = await rt.identity.createWorkspace(`${who.name ?? who.email.split('@')[0]}'s workspace`, user.id);
    if (rt.config.seedExamples) await seedExamples(rt, ws.id);
    audit(ws.id, 'member.sso.provision', { role: 'owner' });
  }
  return user;
}
