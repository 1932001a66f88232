const RULES: [RegExp, string][] = [
  [/\bhttps?:\/\/[^\s"'<>)]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?\b/g, '<time>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>'],
  [/\b[a-z]+_[A-Za-z0-9]{6,}\b/g, '<id>'],
  [/"[^"]{1,200}"|'[^']{1,200}'/g, '<value>'],
  [/(?<!\b(?:status|code|HTTP)(?: code)?:? ?)\b\d+(?:\.\d+)?\b/gi, '<n>'],
];

/**
 * An error message with what varies between occurrences replaced, so the same failure clusters:
 * URLs, e-mail addresses, UUIDs and hex or prefixed ids (`cus_8fK2…`), timestamps, quoted values
 * and numbers (an HTTP status after "status" or "code" is kept: 503 and 404 are different causes).
 *
 * @example
 * ```ts
 * normaliseError('Request to https://api.x.com/u/42 failed with status 503 after 3012 ms');
 * // 'Request to <url> failed with status 503 after <n> ms'
 * ```
 */
export function normaliseError(message: string): string {
  let out = message.slice(0, 500);
  for (const [re, token] of RULES) out = out.replace(re, token);
  return out.replace(/\s+/g, ' ').trim();
}
