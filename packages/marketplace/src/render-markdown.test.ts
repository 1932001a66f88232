import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown.js';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    expect(renderMarkdown('# Slack alerts\n\n- **fast**\n- `code`')).toBe(
      '<h1>Slack alerts</h1>\n<ul>\n<li><strong>fast</strong></li>\n<li><code>code</code></li>\n</ul>\n',
    );
  });

  it('escapes raw HTML and refuses script links and images', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](data:text/html;base64,PHNjcmlwdD4=) ![c](https://tracker.example/p.gif)',
    );
    expect(html).not.toMatch(/<script|<img|href="javascript|href="data/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('opens links in a new tab without passing the opener or ranking', () => {
    expect(renderMarkdown('[docs](https://weft.dev/docs) https://example.com')).toBe(
      '<p><a href="https://weft.dev/docs" rel="nofollow noopener noreferrer ugc" target="_blank">docs</a> <a href="https://example.com" rel="nofollow noopener noreferrer ugc" target="_blank">https://example.com</a></p>\n',
    );
  });
});
