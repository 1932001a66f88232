import type { NodeTypeDescription } from '@weft/engine';

/**
 * One entry of an editor's node catalogue: an engine node-type description plus what a host may
 * add for editors — the app it belongs to (`category`, e.g. `Slack`), other words to find it by
 * (`aliases`) and, for triggers, their kind (`webhook` triggers show their URLs).
 *
 * @example
 * ```ts
 * const entry: NodeCatalogueEntry = { ...description, category: 'Slack', aliases: ['chat'] };
 * ```
 */
export type NodeCatalogueEntry = NodeTypeDescription & {
  category?: string;
  aliases?: readonly string[];
  triggerKind?: 'webhook' | 'polling' | 'schedule' | 'event' | string;
};

/** Palette section titles of the engine's groups, in palette order. */
export const GROUP_LABELS: Readonly<Record<string, string>> = {
  trigger: 'Triggers',
  flow: 'Flow',
  transform: 'Transform',
  code: 'Code',
  utility: 'Utility',
  action: 'Actions',
};

/**
 * The palette section of an entry: triggers first, then the engine's groups, then one section
 * per app (`category`).
 *
 * @example
 * ```ts
 * sectionOf({ ...sendMessage, category: 'Slack' }); // 'Slack'
 * ```
 */
export function sectionOf(t: NodeCatalogueEntry): string {
  if (t.group === 'trigger' || !t.category) return GROUP_LABELS[t.group] ?? t.group;
  return t.category;
}

// Triggers of the engine and of the host itself (`weft.*`: manual, webhook, schedule) before apps' triggers.
function sectionRank(t: NodeCatalogueEntry): number {
  const i = Object.keys(GROUP_LABELS).indexOf(t.group);
  if (t.group === 'trigger') return t.type.startsWith('weft.') ? 0 : 0.5;
  return !t.category ? 1 + Math.max(0, i) : 100;
}

/**
 * The entries matching a search, best first: by name (starts with, then contains), then by app,
 * alias, type name (`slack.sendMessage`) or description; several words must each match somewhere
 * (`slack send`). Without a query: grouped by section.
 *
 * @example
 * ```ts
 * searchCatalogue(types, 'cron').map((t) => t.type); // ['weft.schedule']
 * ```
 */
export function searchCatalogue(entries: readonly NodeCatalogueEntry[], query: string): NodeCatalogueEntry[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/);
  const rank = (t: NodeCatalogueEntry) => {
    if (!q) return 0;
    const name = t.displayName.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    if (t.category?.toLowerCase().includes(q)) return 2;
    if (t.aliases?.some((a) => a.toLowerCase().includes(q))) return 3;
    const all = `${t.displayName} ${t.category ?? ''} ${(t.aliases ?? []).join(' ')} ${t.type} ${t.description} ${t.group}`;
    const text = all.toLowerCase();
    return text.includes(q) || words.every((w) => text.includes(w)) ? 4 : 5;
  };
  return entries
    .map((t) => ({ t, r: rank(t) }))
    .filter((x) => x.r < 5)
    .sort(
      (a, b) =>
        a.r - b.r ||
        sectionRank(a.t) - sectionRank(b.t) ||
        sectionOf(a.t).localeCompare(sectionOf(b.t)) ||
        a.t.displayName.localeCompare(b.t.displayName),
    )
    .map((x) => x.t);
}

let builtins: Promise<NodeCatalogueEntry[]> | undefined;

/**
 * The engine's built-in node types, loaded on first use (they are not in the canvas bundle):
 * what `<weft-canvas>` offers until it is given a catalogue.
 *
 * @example
 * ```ts
 * canvas.nodeTypes = [...(await builtinCatalogue()), ...myNodeTypes];
 * ```
 */
export function builtinCatalogue(): Promise<NodeCatalogueEntry[]> {
  builtins ??= import('@weft/engine').then((m) => new m.NodeRegistry().register(...m.builtinNodeTypes).describe());
  return builtins;
}
