/** A matched route: its name and path parameters plus the query string. */
export interface Route {
  name: string;
  params: Record<string, string>;
  query: URLSearchParams;
  path: string;
}

const ROUTES: [string, RegExp][] = [
  ['signin', /^\/signin$/],
  ['signup', /^\/signup$/],
  ['workflows', /^\/(?:workflows)?$/],
  ['editor', /^\/workflows\/(?<id>[^/]+)$/],
  ['executions', /^\/executions$/],
  ['execution', /^\/executions\/(?<id>[^/]+)$/],
  ['approvals', /^\/approvals$/],
  ['approval', /^\/approvals\/(?<id>[^/]+)$/],
  ['run', /^\/run$/],
  ['run', /^\/run\/(?<id>[^/]+)$/],
  ['analytics', /^\/analytics$/],
  ['marketplace', /^\/marketplace$/],
  ['marketplace-account', /^\/marketplace\/account$/],
  ['template', /^\/marketplace\/(?<id>[^/]+)$/],
  ['credentials', /^\/credentials$/],
  ['api-keys', /^\/api-keys$/],
  ['webhooks', /^\/webhooks$/],
  ['members', /^\/members$/],
  ['settings', /^\/settings$/],
  ['compliance', /^\/compliance(?:\/(?<tab>audit|scans|gdpr|reports))?$/],
  ['embed', /^\/embed\/(?<view>workflows|editor|run|connections)$/],
];

/**
 * Matches a location against the app's routes (`notfound` when none does).
 *
 * @example
 * ```ts
 * matchRoute('/workflows/abc', '') // { name: 'editor', params: { id: 'abc' }, ... }
 * ```
 */
export function matchRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  for (const [name, re] of ROUTES) {
    const m = re.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
      return { name, params, query: new URLSearchParams(search), path };
    }
  }
  return { name: 'notfound', params: {}, query: new URLSearchParams(search), path };
}

/**
 * A `?next=` target that is safe to open after sign-in: a path on this origin (not `//host`, not a
 * scheme, not back to sign-in); anything else gives `fallback`.
 *
 * @example
 * ```ts
 * safeNext('/executions/e1?tab=log') // '/executions/e1?tab=log'
 * safeNext('https://evil.example/')  // '/workflows'
 * ```
 */
export function safeNext(next: string | null | undefined, fallback = '/workflows'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return fallback;
  const url = new URL(next, 'http://weft.invalid');
  if (url.origin !== 'http://weft.invalid' || /^\/(signin|signup)\/?$/.test(url.pathname)) return fallback;
  return url.pathname + url.search + url.hash;
}

/**
 * The sign-in page that returns to `target` (the current location by default) afterwards.
 *
 * @example
 * ```ts
 * signInPath('/approvals/e1') // '/signin?next=%2Fapprovals%2Fe1'
 * ```
 */
export function signInPath(target = location.pathname + location.search): string {
  const next = safeNext(target, '');
  return next && next !== '/' && next !== '/workflows' ? `/signin?next=${encodeURIComponent(next)}` : '/signin';
}

let leaveGuard: (() => boolean) | undefined;

/**
 * Asks `guard` before every in-app navigation (it returns false to stay, e.g. after a "leave
 * without saving?" confirm); `undefined` removes it.
 *
 * @example
 * ```ts
 * setLeaveGuard(() => !dirty || confirm('Leave without saving?'));
 * ```
 */
export function setLeaveGuard(guard: (() => boolean) | undefined): void {
  leaveGuard = guard;
}

/** Client-side navigation: pushes the URL and tells the app (`weft-navigate` on window). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (leaveGuard && !leaveGuard()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event('weft-navigate'));
}

/** Intercepts clicks on same-origin `<a href>` links so they navigate without a reload. */
export function interceptLinks(root: EventTarget): void {
  root.addEventListener('click', (e) => {
    const ev = e as MouseEvent;
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
}
