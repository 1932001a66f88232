import { html, svg, type TemplateResult } from 'lit';
import type { NodeCatalogueEntry } from '../model/node-catalogue.js';

// Line art per engine group, for node types without an icon of their own.
const GLYPHS: Record<string, { color: string; glyph: TemplateResult }> = {
  trigger: { color: '#EA580C', glyph: svg`<path d="M13 3 6 13h5l-1 8 7-10h-5z"/>` },
  flow: { color: '#2563EB', glyph: svg`<path d="M6 5v4a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3v4M6 19v-7M15 16l3 3 3-3"/>` },
  transform: { color: '#0D9488', glyph: svg`<path d="M5 7h14M5 12h9M5 17h6M16 15l3 3-3 3"/>` },
  code: { color: '#7C3AED', glyph: svg`<path d="m9 8-4 4 4 4M15 8l4 4-4 4"/>` },
  utility: { color: '#475569', glyph: svg`<circle cx="12" cy="12" r="3"/><path d="M12 4v2M12 18v2M4 12h2M18 12h2"/>` },
  action: { color: '#0369A1', glyph: svg`<path d="M5 12h12M13 7l5 5-5 5"/>` },
};

/**
 * A node type's icon: its own (`icon` as a URL or `data:` URI, or a short text such as an emoji),
 * else a glyph for its group. Decorative: the node's name says what it is.
 *
 * @example
 * ```ts
 * html`<span class="node-icon">${renderNodeIcon(types.get(node.type))}</span>`;
 * ```
 */
export function renderNodeIcon(type: NodeCatalogueEntry | undefined): TemplateResult {
  const icon = type?.icon;
  if (icon && /^(data:|https?:|\/)/.test(icon)) return html`<img src=${icon} alt="" draggable="false" />`;
  if (icon) return html`${icon}`;
  const g = GLYPHS[type?.group ?? ''] ?? { color: '#64748B', glyph: svg`<circle cx="12" cy="12" r="4"/>` };
  return html`<svg viewBox="0 0 24 24" aria-hidden="true">
    <rect width="24" height="24" rx="6" fill=${g.color}></rect>
    <g fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${g.glyph}</g>
  </svg>`;
}
