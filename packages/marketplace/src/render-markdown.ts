import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow noopener noreferrer ugc');
  tokens[idx]?.attrSet('target', '_blank');
  return defaultLinkOpen ? defaultLinkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};
// Images load from anywhere the reader's browser can reach: a description may not track readers.
md.disable('image');

/**
 * Renders a template's Markdown description to HTML that is safe to put in a page: raw HTML is
 * escaped (markdown-it with `html: false`), `javascript:`, `vbscript:`, `file:` and non-image
 * `data:` links are refused by markdown-it's link validation, images are not rendered, and links
 * open in a new tab with `rel="nofollow noopener noreferrer ugc"`.
 *
 * @example
 * ```ts
 * renderMarkdown('**Hi** <script>alert(1)</script>');
 * // '<p><strong>Hi</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n'
 * ```
 */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
