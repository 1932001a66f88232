import { ROLES, type Role } from './roles.js';

/** One `group=role` entry of `WEFT_OIDC_ROLE_MAP`. */
export interface GroupRole {
  group: string;
  role: Role;
}

/** OpenID Connect authorization-code login (`WEFT_OIDC_*` with a client id). */
export interface OidcLoginSettings {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only, no client secret at the token endpoint). */
  clientSecret?: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
  scopes: string;
  /** Where the provider sends the browser back: the web app's sign-in page. */
  redirectUri: string;
  /** Whether unknown users get an account on their first sign-in (just-in-time provisioning). */
  provision: boolean;
  /** The workspace SSO users join; absent: each new user gets a workspace of their own. */
  defaultWorkspaceId?: string;
  /** The role new members of the default workspace get when no group maps to one. */
  defaultRole: Role;
  /** The ID token / userinfo claim listing the user's groups. */
  groupsClaim: string;
  /** Groups to roles in the default workspace; the highest role of the user's groups wins. */
  roleMap: GroupRole[];
}

/** What {@link oidcSettings} reads. */
export interface OidcConfig {
  /** The ID-token exchange (`POST /auth/oidc`). */
  verifier?: { issuer: string; audience: string; jwksUri: string };
  /** The authorization-code login. */
  login?: OidcLoginSettings;
}

const GRANTABLE: readonly Role[] = ROLES.filter((r) => r !== 'owner');

/**
 * Reads the OIDC settings: `WEFT_OIDC_ISSUER` with `WEFT_OIDC_CLIENT_ID` (and usually
 * `_CLIENT_SECRET`) turns on the code login; `_AUDIENCE` + `_JWKS_URI` the ID-token exchange
 * (the audience defaults to the client id and the JWKS comes from discovery when only the code login
 * is set). Each bad value is pushed to `problems`, naming the variable.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const { login } = oidcSettings((n) => env[n], 'https://weft.example.com', problems);
 * ```
 */
export function oidcSettings(
  str: (name: string, fallback?: string) => string | undefined,
  publicUrl: string,
  problems: string[],
): OidcConfig {
  const issuer = str('WEFT_OIDC_ISSUER');
  const audience = str('WEFT_OIDC_AUDIENCE');
  const jwksUri = str('WEFT_OIDC_JWKS_URI');
  const clientId = str('WEFT_OIDC_CLIENT_ID');
  if (issuer !== undefined && !/^https?:\/\/[^\s]+$/.test(issuer))
    problems.push(`WEFT_OIDC_ISSUER must be an http(s) URL, got "${issuer}"`);
  if ((audience || jwksUri) && !(issuer && audience && jwksUri)) {
    problems.push('WEFT_OIDC_ISSUER, WEFT_OIDC_AUDIENCE and WEFT_OIDC_JWKS_URI must be set together');
  }
  if (clientId && !issuer) problems.push('WEFT_OIDC_CLIENT_ID needs WEFT_OIDC_ISSUER (the provider’s issuer URL)');
  if (issuer && !clientId && !(audience && jwksUri)) {
    problems.push(
      'WEFT_OIDC_ISSUER needs WEFT_OIDC_CLIENT_ID (SSO login) or WEFT_OIDC_AUDIENCE and WEFT_OIDC_JWKS_URI (ID-token exchange)',
    );
  }
  const out: OidcConfig = {};
  if (issuer && audience && jwksUri) out.verifier = { issuer, audience, jwksUri };
  if (!issuer || !clientId) return out;
  const role = (name: string, fallback: Role): Role => {
    const v = str(name, fallback) as Role;
    if (!GRANTABLE.includes(v)) problems.push(`${name} must be one of ${GRANTABLE.join(', ')}, got "${v}"`);
    return v;
  };
  const provisionRaw = str('WEFT_OIDC_PROVISION', 'true') as string;
  if (!/^(1|true|yes|on|0|false|no|off)$/i.test(provisionRaw))
    problems.push(`WEFT_OIDC_PROVISION must be true or false, got "${provisionRaw}"`);
  const redirectUri = str('WEFT_OIDC_REDIRECT_URI', `${publicUrl}/signin`) as string;
  if (!/^https?:\/\/[^\s]+$/.test(redirectUri))
    problems.push(`WEFT_OIDC_REDIRECT_URI must be an http(s) URL, got "${redirectUri}"`);
  const secret = str('WEFT_OIDC_CLIENT_SECRET');
  const workspace = str('WEFT_OIDC_DEFAULT_WORKSPACE');
  const login: OidcLoginSettings = {
    issuer,
    clientId,
    ...(secret ? { clientSecret: secret } : {}),
    providerName: str('WEFT_OIDC_PROVIDER_NAME', 'SSO') as string,
    scopes: str('WEFT_OIDC_SCOPES', 'openid email profile') as string,
    redirectUri,
    provision: /^(1|true|yes|on)$/i.test(provisionRaw),
    ...(workspace ? { defaultWorkspaceId: workspace } : {}),
    defaultRole: role('WEFT_OIDC_DEFAULT_ROLE', 'viewer'),
    groupsClaim: str('WEFT_OIDC_GROUPS_CLAIM', 'groups') as string,
    roleMap: roleMap(str('WEFT_OIDC_ROLE_MAP'), problems),
  };
  if (!login.scopes.split(/\s+/).includes('openid'))
    problems.push(`WEFT_OIDC_SCOPES must include openid, got "${login.scopes}"`);
  out.login = login;
  return out;
}

/** `admins=admin,engineers=editor`, or a JSON object `{"admins":"admin"}` (from a config file). */
function roleMap(raw: string | undefined, problems: string[]): GroupRole[] {
  if (!raw) return [];
  let pairs: [string, string][];
  if (raw.trim().startsWith('{')) {
    try {
      pairs = Object.entries(JSON.parse(raw) as Record<string, string>);
    } catch {
      problems.push('WEFT_OIDC_ROLE_MAP must be group=role pairs separated by commas, or a JSON object');
      return [];
    }
  } else {
    pairs = raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const at = p.lastIndexOf('=');
        return at > 0 ? [p.slice(0, at).trim(), p.slice(at + 1).trim()] : [p, ''];
      });
  }
  const out: GroupRole[] = [];
  for (const [group, role] of pairs) {
    if (!GRANTABLE.includes(role as Role)) {
      problems.push(`WEFT_OIDC_ROLE_MAP entry "${group}" must map to one of ${GRANTABLE.join(', ')}, got "${role}"`);
    } else out.push({ group, role: role as Role });
  }
  return out;
}
