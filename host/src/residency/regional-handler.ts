import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from '../create-app.js';
import { hookPath } from '../http/hook-request.js';
import { ProblemError, sendProblem } from '../http/problem.js';
import { webhookIngress } from '../http/webhook-ingress.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
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
 * - `/hooks/<path>`: the region whose active workflow listens on the path;
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
  const regions = new Map<string, { rt: HostRuntime; app: Handler; hooks: Handler }>();
  for (const [name, rt] of residency.runtimes) {
    regions.set(name, { rt, app: createApp(rt, logger, appOptions), hooks: webhookIngress(rt, logger) });
  }
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const bound = REGION_PATH.exec(url);
    if (bound) {
      const name = decode(bound[1] as string);
      const region = regions.get(name);
      if (!region)
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
      req.url = rest;
      (rest.startsWith('/hooks/') ? region.hooks : region.app)(req, res);
      return;
    }
    const ws = WORKSPACE_PATH.exec(url);
    if (ws) {
      const home = await residency.homeOf(decode(ws[1] as string));
      (regions.get(home) as { app: Handler }).app(req, res);
      return;
    }
    if (url.startsWith('/hooks/')) {
      const path = hookPath(url);
      const method = req.method ?? 'GET';
      for (const region of regions.values()) {
        if (region.rt.webhooks.match(method, path) !== undefined) {
          region.hooks(req, res);
          return;
        }
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
