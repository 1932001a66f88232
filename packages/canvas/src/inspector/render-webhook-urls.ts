import { html, type TemplateResult } from 'lit';

/**
 * The URL a webhook trigger listens on: `<base>/hooks/<path>` (segments encoded), or undefined
 * while it has no path.
 *
 * @example
 * ```ts
 * webhookUrl('https://weft.example.com', 'orders/new'); // 'https://weft.example.com/hooks/orders/new'
 * ```
 */
export function webhookUrl(base: string, path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.trim() || path.includes('{{')) return undefined;
  const clean = path
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return `${base.replace(/\/+$/, '')}/hooks/${clean}`;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed: select the URL';
  }
  setTimeout(() => {
    button.textContent = 'Copy';
  }, 1500);
}

/**
 * The URL panel of a webhook trigger in the inspector: the production URL with a copy button and
 * the methods it accepts, or what is missing.
 *
 * @example
 * ```ts
 * html`${renderWebhookUrls(location.origin, node.parameters)}`;
 * ```
 */
export function renderWebhookUrls(base: string, params: Record<string, unknown>): TemplateResult {
  const url = webhookUrl(base, params.path);
  const methods = Array.isArray(params.methods) && params.methods.length ? params.methods.join(', ') : 'POST';
  return html`<section class="webhook-urls" aria-label="Webhook URLs">
    <h3>Webhook URLs</h3>
    ${
      url
        ? html`<div class="url-row">
            <span class="url-label">Production URL</span>
            <code class="url" data-kind="production">${url}</code>
            <button type="button" class="copy" aria-label="Copy production URL"
              @click=${(e: Event) => copy(url, e.currentTarget as HTMLButtonElement)}>Copy</button>
          </div>
          <small>${methods} requests start the workflow while it is active. Use Test to try it with sample data without activating it.</small>`
        : html`<small>Set a path to get the URL this webhook listens on.</small>`
    }
  </section>`;
}
