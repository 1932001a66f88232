import type { Role } from '@weft/client';
import { appState } from './app-state.js';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, editor: 2, admin: 3, owner: 4 };
const NEEDED = { read: 0, execute: 1, write: 2, admin: 3, owner: 4 } as const;

/**
 * Whether the signed-in user's role in the current workspace grants `permission` — the host's
 * role model (`viewer < operator < editor < admin < owner`; `write` is creating, changing and
 * testing workflows and credentials). Views hide what the host would refuse with 403. When the
 * role is unknown (a session from an API key), the host decides: `true`.
 *
 * @example
 * ```ts
 * html`${can('write') ? html`<button>Test</button>` : ''}`
 * ```
 */
export function can(permission: keyof typeof NEEDED, role: Role | undefined = appState.workspace?.role): boolean {
  return role === undefined || RANK[role] >= NEEDED[permission];
}
