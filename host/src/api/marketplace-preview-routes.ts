import { previewOf, renderPreviewSvg, type WorkflowPreview } from '@weft/marketplace';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { TemplateParams } from './marketplace-schemas.js';

// Bump when the picture changes, so cached images of an unchanged version are redrawn.
const RENDERER = 1;

/** A preview from another host's catalogue, reduced to strings and numbers before it is drawn. */
function remotePreview(value: unknown): WorkflowPreview | undefined {
  const p = value as { nodes?: unknown; connections?: unknown } | undefined;
  if (!p || !Array.isArray(p.nodes) || !Array.isArray(p.connections)) return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    nodes: p.nodes.slice(0, 500).map((n: Record<string, unknown>, i) => {
      const pos = n?.position;
      const ok = Array.isArray(pos) && pos.length === 2 && pos.every((c) => Number.isFinite(c));
      return {
        id: str(n?.id) ?? `n${i}`,
        name: str(n?.name) ?? '',
        type: str(n?.type) ?? '',
        ...(ok ? { position: [pos[0], pos[1]] as [number, number] } : {}),
      };
    }),
    connections: p.connections.slice(0, 2000).flatMap((c: Record<string, unknown>) => {
      const source = str(c?.source);
      const target = str(c?.target);
      if (!source || !target) return [];
      const sourcePort = str(c.sourcePort);
      const targetPort = str(c.targetPort);
      return [{ source, target, ...(sourcePort ? { sourcePort } : {}), ...(targetPort ? { targetPort } : {}) }];
    }),
  };
}

/**
 * `GET /marketplace/templates/:templateId/preview.svg`: a picture of a listed template's latest
 * workflow graph, drawn on the server (no browser) for search-result cards and link previews.
 * Public like the catalogue; cached by template id and version (ETag, 304), served with
 * `nosniff` and a sandboxing CSP so the SVG can never run script, even opened on its own.
 *
 * @example
 * ```ts
 * routes.push(...marketplacePreviewRoutes(runtime));
 * // <img src="/api/v1/marketplace/templates/weft-rss-to-slack/preview.svg" alt="">
 * ```
 */
export function marketplacePreviewRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/marketplace/templates/:templateId/preview.svg',
      summary: "SVG picture of a listed template's workflow graph (no auth; ETag by template version)",
      tag: 'marketplace',
      auth: 'none',
      params: TemplateParams,
      produces: 'image/svg+xml',
      handler: async ({ req, res, params }) => {
        const { market, remote } = hostMarketplace(rt);
        const id = params.templateId;
        const notFound = () => new ProblemError(404, 'template-not-found', `Template "${id}" not found`);
        let drawn: { name: string; version: number; preview: () => WorkflowPreview } | undefined;
        const local = await market.store.getTemplate(id);
        if (local) {
          const latest = local.status === 'listed' ? await market.store.getVersion(id) : undefined;
          if (!latest) throw notFound();
          drawn = { name: local.name, version: latest.version, preview: () => previewOf(latest.workflow) };
        } else if (remote) {
          const found = await remote.template(id);
          const preview = remotePreview(found?.preview);
          const version = found?.versions[0]?.version;
          if (!found || !preview || version === undefined) throw notFound();
          drawn = { name: found.template.name, version, preview: () => preview };
        }
        if (!drawn) throw notFound();
        const etag = `"${encodeURIComponent(id)}.v${drawn.version}.r${RENDERER}"`;
        res.setHeader('etag', etag);
        res.setHeader('cache-control', 'public, max-age=300, must-revalidate');
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        const given = String(req.headers['if-none-match'] ?? '')
          .split(',')
          .map((t) => t.trim().replace(/^W\//, ''));
        if (given.includes(etag) || given.includes('*')) {
          res.status(304).end();
          return;
        }
        res
          .status(200)
          .type('image/svg+xml; charset=utf-8')
          .send(renderPreviewSvg(drawn.preview(), { title: `${drawn.name}: workflow preview` }));
      },
    }),
  ];
}
