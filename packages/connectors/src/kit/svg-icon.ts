/**
 * A connector icon as a `data:` URI: white line art (24×24 SVG path data, stroked) on a rounded
 * square in the service's colour. Editors draw it with `<img src>`, so it works without any
 * stylesheet or network request.
 *
 * @example
 * ```ts
 * defineConnector({ name: 'acme', displayName: 'Acme', description: 'Acme CRM', version: '1.0.0', actions: [],
 *   icon: svgIcon('#0F766E', '<circle cx="12" cy="12" r="6"/>') });
 * ```
 */
export function svgIcon(color: string, glyph: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="${color}"/>` +
    `<g fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${glyph}</g></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
