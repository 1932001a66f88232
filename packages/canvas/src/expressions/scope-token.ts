/**
 * The `$…` token that ends at the end of `before` (what the user is typing), or null: `$json.cu`,
 * `$('Fetch orders').item.js`, `$str.sl`. Stops at an earlier `$`, so `$str.slug($json.ti` gives
 * `$json.ti`.
 *
 * @example
 * ```ts
 * scopeToken("x = $('Fetch orders').item.js"); // "$('Fetch orders').item.js"
 * ```
 */
export function scopeToken(before: string): string | null {
  const m = /\$\((?:'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)?\)?[\w.[\]"'()]*$|\$[\w.[\]"'()]*$/.exec(before);
  return m ? m[0] : null;
}
