const STOPWORDS = new Set(
  'a an the to of in on at by for from with and or then it its is are be this that these those me my our we i you your into as when whenever each every please also after before'.split(
    ' ',
  ),
);

/** Reduces a word to a crude stem, so "messages", "posting" and "posted" meet "message" and "post". */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Splits text (and identifiers: `googleSheets.appendRow` gives google, sheet, append, row) into
 * lower-case stemmed terms without stop words.
 *
 * @example
 * ```ts
 * tokenize('slack.sendMessage'); // ['slack', 'send', 'message']
 * ```
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !STOPWORDS.has(w))
    .map(stem);
}
