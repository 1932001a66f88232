/**
 * After a new workflow's first save: points the address bar at it (`/workflows/<id>`, or the
 * embed route, which the embed view reports to the page). Only the URL changes: the editor stays
 * mounted with its overlay and undo history.
 *
 * @example
 * ```ts
 * if (wasNew) showSavedRoute(saved.id);
 * ```
 */
export function showSavedRoute(workflowId: string): void {
  const id = encodeURIComponent(workflowId);
  if (location.pathname.startsWith('/workflows/')) history.replaceState(null, '', `/workflows/${id}`);
  else if (location.pathname.startsWith('/embed/')) {
    history.replaceState(null, '', `/embed/editor?workflowId=${id}`);
    window.dispatchEvent(new Event('weft-navigate'));
  }
}
