const VERBS: Record<string, string> = { post: 'create', put: 'update', patch: 'update', delete: 'delete', get: 'read' };

/** What a route does, as the audit log names it. */
export interface RouteAuditAction {
  /** `workflow.activate`, `credential.create`, `auth.login`, `workspace.export`. */
  action: string;
  resourceType: string;
  /** The path parameter holding the resource's id, if any. */
  idParam: string | undefined;
}

/** Words right after `/workspaces/:workspaceId` that act on the workspace rather than name a resource. */
const WORKSPACE_VERBS = new Set(['export', 'import', 'scan']);

const singular = (word: string) =>
  word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;

/**
 * Derives an audit action from a route's method and path, so routes need no audit code of their
 * own. Inside a workspace, the first word (unless `export`, `import` or `scan`) and any word followed by an
 * id name the resource; words after the resource are the verb; without them the method is
 * (`POST /workflows/:workflowId/activate` -> `workflow.activate`, `POST /workflows` ->
 * `workflow.create`, `GET /workspaces/:workspaceId/export` -> `workspace.export`). Routes outside
 * workspaces keep their path (`POST /auth/mfa/enable` -> `auth.mfa.enable`).
 *
 * @example
 * ```ts
 * routeAuditAction('put', '/workspaces/:workspaceId/workflows/:workflowId');
 * // { action: 'workflow.update', resourceType: 'workflow', idParam: 'workflowId' }
 * ```
 */
export function routeAuditAction(method: string, path: string): RouteAuditAction {
  const parts = path.split('/').filter(Boolean);
  const verb = VERBS[method] ?? method;
  if (parts[0] !== 'workspaces') {
    const words = parts.filter((p) => !p.startsWith(':'));
    return { action: words.join('.'), resourceType: words[0] ?? 'instance', idParam: undefined };
  }
  let resourceType = 'workspace';
  let idParam = parts[1]?.slice(1);
  const verbs: string[] = [];
  const rest = parts.slice(2);
  for (const [i, part] of rest.entries()) {
    if (part.startsWith(':')) idParam = part.slice(1);
    else if (verbs.length === 0 && (rest[i + 1]?.startsWith(':') || (i === 0 && !WORKSPACE_VERBS.has(part)))) {
      resourceType = singular(part);
      idParam = undefined;
    } else verbs.push(part);
  }
  return { action: `${resourceType}.${verbs.length ? verbs.join('.') : verb}`, resourceType, idParam };
}
