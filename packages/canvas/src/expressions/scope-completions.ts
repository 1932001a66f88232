import type { Item } from '@weft/engine';
import { jsonPaths, type PathSuggestion } from './json-paths.js';

const kind = (type: string, sample: string): Omit<PathSuggestion, 'path'> => ({ type, sample });

// The names the engine's expression and code scope defines (engine runtime-source.ts), with what they are.
const SCOPE: [string, string, string][] = [
  ['$json', 'object', 'the current item'],
  ['$binary', 'object', "the current item's files"],
  ['$input.item', 'object', 'the current input item'],
  ['$input.all()', 'function', 'every input item'],
  ['$input.first()', 'function', 'the first input item'],
  ['$input.last()', 'function', 'the last input item'],
  ['$execution.id', 'string', 'this execution'],
  ['$execution.mode', 'string', 'manual, trigger, webhook…'],
  ['$workflow.id', 'string', 'this workflow'],
  ['$workflow.name', 'string', 'this workflow'],
  ['$env', 'object', 'environment values'],
  ['$vars', 'object', 'workspace variables'],
  ['$now', 'Date', 'now'],
  ['$today', 'Date', 'today, 00:00 UTC'],
  ['$itemIndex', 'number', 'index of the current item'],
  ['$runIndex', 'number', 'how often this node ran before'],
  ['$date.now()', 'function', 'helper'],
  ['$date.parse(', 'function', 'value → Date'],
  ['$date.iso(', 'function', 'Date → ISO text'],
  ['$date.format(', 'function', "(date, 'yyyy-MM-dd HH:mm')"],
  ['$date.add(', 'function', "(date, n, 'day')"],
  ['$date.diff(', 'function', "(a, b, 'hour')"],
  ['$date.startOf(', 'function', "(date, 'month')"],
  ['$date.isWeekend(', 'function', 'helper'],
  ['$str.capitalize(', 'function', 'helper'],
  ['$str.slug(', 'function', 'helper'],
  ['$str.truncate(', 'function', '(text, length)'],
  ['$str.words(', 'function', 'helper'],
  ['$str.isEmail(', 'function', 'helper'],
  ['$str.padStart(', 'function', '(text, length, char)'],
  ['$str.stripHtml(', 'function', 'helper'],
  ['$arr.sum(', 'function', 'helper'],
  ['$arr.avg(', 'function', 'helper'],
  ['$arr.min(', 'function', 'helper'],
  ['$arr.max(', 'function', 'helper'],
  ['$arr.unique(', 'function', '(list, key?)'],
  ['$arr.chunk(', 'function', '(list, size)'],
  ['$arr.pluck(', 'function', '(list, key)'],
  ['$arr.groupBy(', 'function', '(list, key)'],
  ['$arr.sortBy(', 'function', "(list, key, 'desc'?)"],
  ['$arr.compact(', 'function', 'helper'],
  ['$arr.flatten(', 'function', 'helper'],
  ['$arr.first(', 'function', 'helper'],
  ['$arr.last(', 'function', 'helper'],
  ['$obj.get(', 'function', "(object, 'a.b', default?)"],
  ['$obj.pick(', 'function', '(object, keys)'],
  ['$obj.omit(', 'function', '(object, keys)'],
  ['$obj.keys(', 'function', 'helper'],
  ['$obj.values(', 'function', 'helper'],
  ['$obj.entries(', 'function', 'helper'],
  ['$obj.merge(', 'function', '(...objects)'],
  ['$obj.isEmpty(', 'function', 'helper'],
];

/** `$('Name')` with the name quoted so it reads back as the same string. */
export function nodeRef(name: string): string {
  return `$('${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}')`;
}

/**
 * Everything `$` can complete to in an expression or a Code node: the `$json` paths of the
 * node's input (`paths`, from {@link jsonPaths}), `$input`, `$('Node')` for every node that ran
 * (with the fields of its last output), `$execution`, `$workflow`, `$now`, `$today` and the
 * helper libraries (`$date`, `$str`, `$arr`, `$obj`): the names the engine's scope defines.
 *
 * @example
 * ```ts
 * scopeCompletions(jsonPaths(items), { 'Fetch orders': [{ json: { id: 1 } }] }).map((s) => s.path);
 * // ['$json.…', '$json', …, "$('Fetch orders').item.json", "$('Fetch orders').item.json.id", …]
 * ```
 */
export function scopeCompletions(
  paths: readonly PathSuggestion[],
  nodes: Readonly<Record<string, readonly Item[]>> = {},
): PathSuggestion[] {
  const out: PathSuggestion[] = [...paths];
  for (const [path, type, sample] of SCOPE) out.push({ path, ...kind(type, sample) });
  for (const [name, items] of Object.entries(nodes)) {
    const ref = nodeRef(name);
    out.push(
      { path: `${ref}.item.json`, ...kind('object', `${name}: matching item`) },
      { path: `${ref}.first().json`, ...kind('object', `${name}: first item`) },
      { path: `${ref}.all()`, ...kind('function', `${name}: every item`) },
    );
    for (const p of jsonPaths(items, { limit: 60 }))
      out.push({ ...p, path: `${ref}.item.json${p.path.slice('$json'.length)}` });
  }
  const seen = new Set<string>();
  return out.filter((s) => !seen.has(s.path) && seen.add(s.path));
}
