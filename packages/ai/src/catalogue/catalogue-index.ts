import type { CatalogueEntry } from './catalogue-entry.js';
import { tokenize } from './tokenize.js';
import { NODE_HINTS, SYNONYMS } from './vocabulary.js';

/** One search hit: the entry and its BM25 score (higher is better; 0 means no shared term). */
export interface CatalogueHit {
  entry: CatalogueEntry;
  score: number;
}

interface Doc {
  entry: CatalogueEntry;
  tf: Map<string, number>;
  length: number;
}

const K1 = 1.2;
const B = 0.75;

/** Expands a query's words with {@link SYNONYMS}, then tokenizes it. */
export function queryTerms(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/);
  return tokenize(words.map((w) => SYNONYMS[w.replace(/[^a-z0-9-]/g, '')] ?? w).join(' '));
}

/**
 * BM25 retrieval over a node catalogue. Each entry is indexed by its type name (weighted 3),
 * display name, category, aliases and hint words (2) and description (1).
 *
 * @example
 * ```ts
 * const index = new CatalogueIndex(catalogue);
 * index.search('post a message to slack', { trigger: false })[0]?.entry.type; // 'slack.sendMessage'
 * ```
 */
export class CatalogueIndex {
  readonly #docs: Doc[];
  readonly #df = new Map<string, number>();
  readonly #avgLength: number;

  constructor(catalogue: readonly CatalogueEntry[]) {
    this.#docs = catalogue.map((entry) => {
      const tf = new Map<string, number>();
      const add = (text: string | undefined, weight: number) => {
        for (const t of tokenize(text ?? '')) tf.set(t, (tf.get(t) ?? 0) + weight);
      };
      add(entry.type, 3);
      add(entry.displayName, 2);
      add(entry.category, 2);
      add(entry.aliases?.join(' '), 2);
      add(NODE_HINTS[entry.type], 2);
      add(entry.description, 1);
      let length = 0;
      for (const v of tf.values()) length += v;
      return { entry, tf, length };
    });
    for (const d of this.#docs) for (const t of d.tf.keys()) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
    this.#avgLength = this.#docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.#docs.length);
  }

  /**
   * The apps (type prefixes such as `slack`, `googleSheets`) a text names by prefix or category,
   * read from the unstemmed words: "teams" names Microsoft Teams, "team" does not.
   */
  mentionedApps(text: string): string[] {
    const words = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
    const apps = new Set<string>();
    for (const { entry } of this.#docs) {
      const app = entry.type.split('.')[0] as string;
      if (app === 'weft' || apps.has(app)) continue;
      const names = [app, app.replace(/([a-z])([A-Z])/g, '$1 $2'), entry.category ?? ''].map((n) =>
        n
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim(),
      );
      if (names.some((n) => n && words.includes(` ${n} `))) apps.add(app);
    }
    return [...apps];
  }

  /**
   * Entries ranked for `query`, best first; `trigger` keeps only triggers (true) or non-triggers
   * (false); `apps` keeps only those apps' entries when any of them matches.
   */
  search(query: string, options: { trigger?: boolean; limit?: number; apps?: string[] } = {}): CatalogueHit[] {
    const terms = [...new Set(queryTerms(query))];
    const n = this.#docs.length;
    const hits: CatalogueHit[] = [];
    for (const d of this.#docs) {
      if (options.trigger !== undefined && Boolean(d.entry.trigger) !== options.trigger) continue;
      let score = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const df = this.#df.get(t) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / this.#avgLength));
      }
      if (score > 0) hits.push({ entry: d.entry, score });
    }
    hits.sort((a, b) => b.score - a.score || a.entry.type.localeCompare(b.entry.type));
    const apps = options.apps ?? [];
    const named = hits.filter((h) => apps.includes(h.entry.type.split('.')[0] as string));
    return (named.length ? named : hits).slice(0, options.limit ?? 5);
  }

  /** The entry of `type`, if the catalogue has it. */
  get(type: string): CatalogueEntry | undefined {
    return this.#docs.find((d) => d.entry.type === type)?.entry;
  }
}
