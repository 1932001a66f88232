/**
 * Workspace roles, from most to least powerful: the values `memberships.role`, `api_keys.role` and
 * `signup_tokens.role` hold.
 *
 * @example
 * ```ts
 * if (!ROLES.includes(input as Role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
 * ```
 */
export const ROLES = ['owner', 'admin', 'editor', 'operator', 'viewer'] as const;

/** A member's role in a workspace. */
export type Role = (typeof ROLES)[number];
