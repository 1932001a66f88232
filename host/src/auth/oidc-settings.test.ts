import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { mappedRole } from './sso-provisioning.js';

const load = (env: Record<string, string>) =>
  loadConfig({ WEFT_DATA_DIR: '/tmp/weft-oidc-settings-test', WEFT_PUBLIC_URL: 'https://weft.example.com', ...env });
const problems = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

describe('SSO and passkey settings', () => {
  it('reads the code login with its defaults', () => {
    const c = load({ WEFT_OIDC_ISSUER: 'https://id.example.com', WEFT_OIDC_CLIENT_ID: 'weft' });
    expect(c.sso).toEqual({
      issuer: 'https://id.example.com',
      clientId: 'weft',
      providerName: 'SSO',
      scopes: 'openid email profile',
      redirectUri: 'https://weft.example.com/signin',
      provision: true,
      defaultRole: 'viewer',
      groupsClaim: 'groups',
      roleMap: [],
    });
    expect(c.oidc).toBeUndefined();
    expect(c.passkeys).toEqual({ rpId: 'weft.example.com', origins: ['https://weft.example.com'] });
  });

  it('reads role maps as pairs or as a JSON object, and names each bad value', () => {
    const base = { WEFT_OIDC_ISSUER: 'https://id.example.com', WEFT_OIDC_CLIENT_ID: 'weft' };
    expect(load({ ...base, WEFT_OIDC_ROLE_MAP: 'admins=admin, eng=editor' }).sso?.roleMap).toEqual([
      { group: 'admins', role: 'admin' },
      { group: 'eng', role: 'editor' },
    ]);
    expect(load({ ...base, WEFT_OIDC_ROLE_MAP: '{"cn=ops,dc=acme":"operator"}' }).sso?.roleMap).toEqual([
      { group: 'cn=ops,dc=acme', role: 'operator' },
    ]);
    const bad = problems({
      ...base,
      WEFT_OIDC_ROLE_MAP: 'admins=owner',
      WEFT_OIDC_DEFAULT_ROLE: 'root',
      WEFT_OIDC_SCOPES: 'email',
      WEFT_WEBAUTHN_RP_ID: '10.0.0.1:80',
    });
    expect(bad).toMatch(
      /WEFT_OIDC_ROLE_MAP entry "admins" must map to one of admin, editor, operator, viewer, got "owner"/,
    );
    expect(bad).toMatch(/WEFT_OIDC_DEFAULT_ROLE must be one of/);
    expect(bad).toMatch(/WEFT_OIDC_SCOPES must include openid/);
    expect(bad).toMatch(/WEFT_WEBAUTHN_RP_ID must be a domain name/);
  });

  it('keeps the ID-token exchange rule and says what an issuer alone lacks', () => {
    expect(problems({ WEFT_OIDC_AUDIENCE: 'weft' })).toMatch(/must be set together/);
    expect(problems({ WEFT_OIDC_ISSUER: 'https://id.example.com' })).toMatch(
      /WEFT_OIDC_ISSUER needs WEFT_OIDC_CLIENT_ID \(SSO login\) or WEFT_OIDC_AUDIENCE and WEFT_OIDC_JWKS_URI/,
    );
    const both = load({
      WEFT_OIDC_ISSUER: 'https://id.example.com',
      WEFT_OIDC_AUDIENCE: 'weft',
      WEFT_OIDC_JWKS_URI: 'https://id.example.com/jwks',
    });
    expect(both.oidc).toEqual({
      issuer: 'https://id.example.com',
      audience: 'weft',
      jwksUri: 'https://id.example.com/jwks',
    });
    expect(both.sso).toBeUndefined();
  });

  it('maps groups to the highest role', () => {
    const map = [
      { group: 'eng', role: 'editor' as const },
      { group: 'admins', role: 'admin' as const },
      { group: 'ops', role: 'operator' as const },
    ];
    expect(mappedRole(['ops', 'admins', 'eng'], map)).toBe('admin');
    expect(mappedRole(['ops'], map)).toBe('operator');
    expect(mappedRole(['sales'], map)).toBeUndefined();
  });
});
