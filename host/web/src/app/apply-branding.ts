import type { Branding } from '@weft/client';

/**
 * Applies the host's white-label settings: product name in the title, colours and font as CSS
 * variables (which the canvas components read too), and the theme colour of the browser UI.
 *
 * @example
 * ```ts
 * applyBranding((await client.auth.setup()).branding);
 * ```
 */
export function applyBranding(branding: Branding, root: HTMLElement = document.documentElement): void {
  document.title = branding.name;
  const set = (name: string, value: unknown) => {
    if (typeof value === 'string' && value) root.style.setProperty(name, value);
  };
  set('--app-primary', branding.primaryColor);
  set('--weft-accent', branding.primaryColor);
  set('--app-accent', branding.accentColor);
  set('--app-font', branding.fontFamily);
  set('--weft-font', branding.fontFamily);
  if (typeof branding.primaryColor === 'string') {
    document.querySelector('meta[name="theme-color"]')?.setAttribute('content', branding.primaryColor);
  }
}
