import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { CatalogueIndex, queryTerms } from '../catalogue/catalogue-index.js';
import { tokenize } from '../catalogue/tokenize.js';
import { NODE_HINTS } from '../catalogue/vocabulary.js';

/** A connector or node suggested for a stated goal, with its BM25 score scaled to 0–1 and why. */
export interface GoalRecommendation {
  type: string;
  displayName: string;
  category?: string;
  trigger: boolean;
  score: number;
  reason: string;
}

/**
 * Ranks catalogue entries (triggers and actions) for a goal in plain words with the BM25
 * {@link CatalogueIndex}; apps the goal names ("Slack", "Google Sheets") come first. Each reason
 * lists the goal's words the entry matched. Empty when nothing matches. Pure.
 *
 * @example
 * ```ts
 * recommendForGoal('notify the team on Slack when a Stripe payment fails', catalogue)[0]?.type; // 'slack.sendMessage'
 * ```
 */
export function recommendForGoal(
  goal: string,
  catalogue: readonly CatalogueEntry[],
  options: { limit?: number; index?: CatalogueIndex } = {},
): GoalRecommendation[] {
  const index = options.index ?? new CatalogueIndex(catalogue);
  const apps = index.mentionedApps(goal);
  const hits = index.search(goal, { limit: 50 });
  const named = (type: string) => apps.includes(type.split('.')[0] as string);
  hits.sort((a, b) => Number(named(b.entry.type)) - Number(named(a.entry.type)) || b.score - a.score);
  const top = Math.max(0, ...hits.map((h) => h.score));
  const terms = [...new Set(queryTerms(goal))];
  return hits.slice(0, options.limit ?? 5).map(({ entry, score }) => {
    const own = new Set(
      tokenize(
        [
          entry.type,
          entry.displayName,
          entry.category,
          entry.aliases?.join(' '),
          NODE_HINTS[entry.type],
          entry.description,
        ].join(' '),
      ),
    );
    const matched = terms.filter((t) => own.has(t));
    const app = entry.category ?? (entry.type.split('.')[0] as string);
    return {
      type: entry.type,
      displayName: entry.displayName,
      ...(entry.category ? { category: entry.category } : {}),
      trigger: Boolean(entry.trigger),
      score: Math.round((score / top) * 100) / 100,
      reason: `${named(entry.type) ? `the goal names ${app}; ` : ''}${
        matched.length ? `matches "${matched.join('", "')}"` : 'matches the goal by its synonyms'
      } (${entry.trigger ? 'trigger' : 'action'} "${entry.displayName}" of ${app})`,
    };
  });
}
