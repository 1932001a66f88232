import type { FacetCount, TemplateSearch, TemplateSearchResult } from '@weft/engine';
import { type Kysely, type SqlBool, sql } from 'kysely';
import { type MarketplaceTables, templateFromRow } from './marketplace-rows.js';

/** The words of a query, as both full-text indexes tokenise them (letters and digits). */
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

const ratingAtLeast = (min: number | string) =>
  sql<SqlBool>`t.rating_count > 0 and t.rating_sum >= ${min} * t.rating_count`;
const countIf = (condition: ReturnType<typeof sql<SqlBool>>) =>
  sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`;

/**
 * Runs a {@link TemplateSearch}: every word of `text` must match a word prefix (FTS5 `"w"*` on
 * SQLite, `'w':*` tsquery on Postgres; words are letters and digits only, so no query syntax
 * reaches either parser), then the filters; the page is sorted, and facets count over all matches.
 */
export async function searchTemplates(
  db: Kysely<MarketplaceTables>,
  dialect: 'sqlite' | 'postgres',
  q: TemplateSearch,
): Promise<TemplateSearchResult> {
  const terms = words(q.text ?? '');
  let base = db.selectFrom('marketplace_templates as t');
  if (!q.includeHidden) base = base.where('t.status', '=', 'listed');
  if (q.creatorId) base = base.where('t.creator_id', '=', q.creatorId);
  if (q.pricing === 'free') base = base.where('t.price_amount', '=', 0);
  if (q.pricing === 'paid') base = base.where('t.price_amount', '>', 0);
  if (q.minRating !== undefined) base = base.where(ratingAtLeast(q.minRating));
  for (const [kind, value] of [
    ['category', q.category],
    ['connector', q.connector],
  ] as const)
    if (value)
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('marketplace_template_facets as f')
            .select('f.value')
            .whereRef('f.template_id', '=', 't.id')
            .where('f.kind', '=', kind)
            .where('f.value', '=', value),
        ),
      );
  if (terms.length && dialect === 'sqlite') {
    const match = terms.map((w) => `"${w}"*`).join(' ');
    base = base.where(
      't.id',
      'in',
      db
        .selectFrom('marketplace_templates_fts')
        .select('template_id')
        .where(sql<SqlBool>`marketplace_templates_fts match ${match}`),
    );
  } else if (terms.length) {
    const query = terms.map((w) => `'${w}':*`).join(' & ');
    base = base.where(sql<SqlBool>`t.search @@ to_tsquery('simple', ${query})`);
  }
  const order = {
    popular: sql`t.installs desc`,
    newest: sql`t.created_at desc`,
    rating: sql`coalesce(t.rating_sum * 1.0 / nullif(t.rating_count, 0), 0) desc`,
  }[q.sort ?? 'popular'];
  const [page, totals, facetRows] = await Promise.all([
    base.selectAll('t').orderBy(order).orderBy('t.id').limit(q.limit).offset(q.offset).execute(),
    base
      .select([
        sql<number | string>`count(*)`.as('total'),
        countIf(sql<SqlBool>`t.price_amount = 0`).as('free'),
        countIf(sql<SqlBool>`t.price_amount > 0`).as('paid'),
        countIf(ratingAtLeast(4)).as('r4'),
        countIf(ratingAtLeast(3)).as('r3'),
        countIf(ratingAtLeast(2)).as('r2'),
        countIf(ratingAtLeast(1)).as('r1'),
      ])
      .executeTakeFirst(),
    db
      .selectFrom('marketplace_template_facets as f')
      .select(['f.kind', 'f.value', sql<number | string>`count(*)`.as('count')])
      .where('f.template_id', 'in', base.select('t.id'))
      .groupBy(['f.kind', 'f.value'])
      .execute(),
  ]);
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  const facet = (kind: string): FacetCount[] =>
    facetRows
      .filter((r) => r.kind === kind)
      .map((r) => ({ value: r.value, count: n(r.count) }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return {
    templates: page.map(templateFromRow),
    total: n(totals?.total),
    facets: {
      categories: facet('category'),
      connectors: facet('connector'),
      pricing: { free: n(totals?.free), paid: n(totals?.paid) },
      ratings: [
        { value: '4', count: n(totals?.r4) },
        { value: '3', count: n(totals?.r3) },
        { value: '2', count: n(totals?.r2) },
        { value: '1', count: n(totals?.r1) },
      ],
    },
  };
}
