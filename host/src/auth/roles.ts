import { ROLES, type Role } from '@weft/sql';

export { ROLES, type Role };

/**
 * What a route needs: `read` (viewer), `execute` (operator: run, cancel, retry, approve), `write`
 * (editor: workflows, credentials — testing one too, as a test sends its secret out), `admin`
 * (members, API keys), `owner` (delete the workspace).
 */
export type Permission = 'read' | 'execute' | 'write' | 'admin' | 'owner';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, editor: 2, admin: 3, owner: 4 };
const NEEDED: Record<Permission, number> = { read: 0, execute: 1, write: 2, admin: 3, owner: 4 };

/**
 * Whether `role` grants `permission`.
 *
 * @example
 * ```ts
 * allows('operator', 'execute'); // true
 * allows('viewer', 'write'); // false
 * ```
 */
export function allows(role: Role, permission: Permission): boolean {
  return RANK[role] >= NEEDED[permission];
}

/** Whether `a` is at least as powerful as `b` (admins cannot hand out owner). */
export function atLeast(a: Role, b: Role): boolean {
  return RANK[a] >= RANK[b];
}
