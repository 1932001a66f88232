import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from '../create-app.js';
import { hookPath } from '../http/hook-request.js';
import { ProblemError, sendProblem } from '../http/problem.js';
import { webhookIngress } from '../http/webhook-ingress.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { normalizeHookPath } from '../runtime/webhook-router.js';
import type { Residency } from './residency.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** `/api/v1/workspaces/<id>` and everything under it; group 1 is the workspace id. */
const WORKSPACE_PATH = /^\/api\/v1\/workspaces\/([^/?#]+)(?:[/?#]|$)/;
/** `/regions/<name>/<rest>`: a region-bound path (what a regional endpoint serves). */
const REGION_PATH = /^\/regions\/([^/?#]+)(\/.*)?$/;

/**
 * The request router of a host with `WEFT_REGIONS` (ADR 0014), in front of the apps. Before any
 * route or business logic runs it picks the runtime that holds the data:
 * - `/api/v1/workspaces/<id>…`: the workspace's region (from the control database's map);
 * - `/hooks/<path>`: the region holding the path (paths are unique across regions: the control
 *   database's registry, checked when no single region's loaded routes answer);
 * - `/regions/<name>/…`: that region only; a workspace of another region is refused with 421
 *   `wrong-region` naming both regions, so a region-bound endpoint never serves foreign data;
 * - everything else (sign-in, accounts, the workspace list and creation, the web app): `control`.
 *
 * @example
 * ```ts
 * const handle = regionalHandler(runtime.residency, (req, res) => app(req, res), logger);
 * http.createServer(handle).listen(8080);
 * ```
 */
export function regionalHandler(
  residency: Residency,
  control: Handler,
  logger: Logger,
  appOptions: { webDir?: string } = {},
): Handler {
  type Region = { rt: HostRuntime; app: Handler; hooks: Handler };
  const regions = new Map<string, Region>();
  for (const [name, rt] of residency.runtimes) {
    regions.set(name, { rt, app: createApp(rt, logger, appOptions), hooks: webhookIngress(rt, logger) });
  }
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = await regionOfRequest(residency, req.url ?? '/');
    if (target.region) {
      const region = regions.get(target.region) as Region;
      req.url = target.url;
      (target.bound && target.url.startsWith('/hooks/') ? region.hooks : region.app)(req, res);
      return;
    }
    const url = target.url;
    if (url.startsWith('/hooks/')) {
      const path = normalizeHookPath(hookPath(url));
      const method = req.method ?? 'GET';
      // Paths are unique across regions (the control registry): one region's routes answer, and
      // when none has it loaded (or routes from before the registry collide) the registry decides.
      const listed = [...regions.values()].filter((r) => r.rt.webhooks.match(method, path) !== undefined);
      const name = listed.length === 1 ? undefined : await residency.webhookPaths.regionOf(path);
      const region = listed.length === 1 ? listed[0] : name ? regions.get(name) : undefined;
      if (region) {
        region.hooks(req, res);
        return;
      }
    }
    control(req, res);
  };
  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof ProblemError) return sendProblem(res, err);
      logger.error({ err, url: req.url }, 'routing a request to its region failed');
      sendProblem(res, new ProblemError(500, 'internal', 'The request could not be routed to its region'));
    });
  };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ProblemError(400, 'invalid-uri', `Malformed percent-encoding in "${part.slice(0, 100)}"`);
  }
}

/** Where {@link regionOfRequest} sends a request. */
export interface RequestRegion {
  /** The region holding the data, or undefined for the control runtime. */
  region?: string;
  /** Whether the path named the region (`/regions/<name>/…`). */
  bound: boolean;
  /** The path the region's handlers see (without the `/regions/<name>` prefix). */
  url: string;
}

/**
 * The region a request path belongs to, before any route runs (ADR 0014): `/regions/<name>/…`
 * is that region (a workspace of another region refused with 421 `wrong-region`, an unknown
 * region with 404), `/api/v1/workspaces/<id>…` the workspace's region (409 for a workspace
 * without one), anything else the control runtime. HTTP requests and WebSocket upgrades both
 * route through it.
 *
 * @example
 * ```ts
 * await regionOfRequest(residency, `/api/v1/workspaces/${euId}/ws`); // { region: 'eu', bound: false, url: … }
 * ```
 */
export async function regionOfRequest(residency: Residency, url: string): Promise<RequestRegion> {
  const bound = REGION_PATH.exec(url);
  if (bound) {
    const name = decode(bound[1] as string);
    if (!residency.runtimes.has(name))
      throw new ProblemError(404, 'unknown-region', `No region "${name}"; regions: ${residency.names.join(', ')}`);
    const rest = bound[2] ?? '/';
    const ws = WORKSPACE_PATH.exec(rest);
    if (ws) {
      const id = decode(ws[1] as string);
      const home = await residency.regionOf(id);
      if (home !== undefined && home !== name)
        throw new ProblemError(
          421,
          'wrong-region',
          `Workspace ${id} lives in region "${home}"; this endpoint serves region "${name}" and does not hold or forward its data`,
        );
    }
    return { region: name, bound: true, url: rest };
  }
  const ws = WORKSPACE_PATH.exec(url);
  if (ws) return { region: await residency.homeOf(decode(ws[1] as string)), bound: false, url };
  return { bound: false, url };
}
