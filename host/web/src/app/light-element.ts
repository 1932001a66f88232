import { LitElement } from 'lit';

/**
 * A Lit element that renders into its own light DOM, so the app's one stylesheet and the
 * white-label CSS variables apply to every view (the canvas components keep their shadow roots).
 *
 * @example
 * ```ts
 * class MyView extends LightElement { override render() { return html`<p>hi</p>`; } }
 * ```
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
