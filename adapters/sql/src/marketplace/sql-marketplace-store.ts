import type {
  CreatorRevenue,
  MarketplaceStore,
  MarketplaceTemplate,
  PurchaseStatus,
  ReviewStatus,
  TemplateInstall,
  TemplatePurchase,
  TemplateReview,
  TemplateSearch,
  TemplateSearchResult,
  TemplateStatus,
  TemplateVersion,
} from '@weft/engine';
import { type Kysely, sql } from 'kysely';
import { fromJson, type HostDb, toJson } from '../host/host-database.js';
import type { MarketplaceTables } from './marketplace-rows.js';
import { installFromRow, purchaseFromRow, reviewFromRow, templateFromRow } from './marketplace-rows.js';
import { searchTemplates } from './marketplace-search.js';

/**
 * The engine's {@link MarketplaceStore} on the tables of migration 10 (SQLite or Postgres). A
 * listing's facet rows and (on SQLite) its FTS5 row are rewritten with it in one transaction;
 * counters and the rating aggregate are updated in SQL, so concurrent installs and reviews never
 * lose an increment.
 *
 * @example
 * ```ts
 * const store = new SqlMarketplaceStore({ db: storage.db, dialect: storage.dialect });
 * const { templates, facets } = await store.search({ text: 'slack alerts', limit: 20, offset: 0 });
 * ```
 */
export class SqlMarketplaceStore implements MarketplaceStore {
  private readonly db: Kysely<MarketplaceTables>;
  private readonly dialect: 'sqlite' | 'postgres';

  constructor(h: HostDb) {
    this.db = h.db as unknown as Kysely<MarketplaceTables>;
    this.dialect = h.dialect;
  }

  async saveTemplate(t: MarketplaceTemplate, v: TemplateVersion): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('marketplace_versions')
        .values({
          template_id: v.templateId,
          version: v.version,
          changelog: v.changelog,
          workflow: toJson(v.workflow),
          inputs: toJson(v.inputs),
          credentials: toJson(v.credentials),
          created_at: v.createdAt,
        })
        .onConflict((oc) => oc.columns(['template_id', 'version']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const { views, installs, ratingCount, ratingSum, ...listing } = t;
      const row = {
        name: t.name,
        summary: t.summary,
        description: t.description,
        search_tags: t.tags.join(' '),
        creator_id: t.creatorId,
        listing: toJson(listing),
        price_amount: t.priceAmount,
        latest_version: t.latestVersion,
        status: t.status,
        updated_at: t.updatedAt,
      };
      await tx
        .insertInto('marketplace_templates')
        .values({
          id: t.id,
          ...row,
          views,
          installs,
          rating_count: ratingCount,
          rating_sum: ratingSum,
          created_at: t.createdAt,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
      await tx.deleteFrom('marketplace_template_facets').where('template_id', '=', t.id).execute();
      const facets = [
        ...new Set(t.categories.map((c) => `category\n${c}`)),
        ...new Set(t.connectors.map((c) => `connector\n${c}`)),
      ].map((f) => {
        const [kind, value] = f.split('\n') as [string, string];
        return { template_id: t.id, kind, value };
      });
      if (facets.length) await tx.insertInto('marketplace_template_facets').values(facets).execute();
      if (this.dialect === 'sqlite') {
        await tx.deleteFrom('marketplace_templates_fts').where('template_id', '=', t.id).execute();
        await tx
          .insertInto('marketplace_templates_fts')
          .values({ template_id: t.id, body: [t.name, t.summary, t.description, ...t.tags].join('\n') })
          .execute();
      }
      return true;
    });
  }

  async getTemplate(id: string): Promise<MarketplaceTemplate | undefined> {
    const row = await this.db.selectFrom('marketplace_templates').selectAll().where('id', '=', id).executeTakeFirst();
    return row && templateFromRow(row);
  }

  async getVersion(templateId: string, version?: number): Promise<TemplateVersion | undefined> {
    let q = this.db.selectFrom('marketplace_versions').selectAll().where('template_id', '=', templateId);
    q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
    const row = await q.executeTakeFirst();
    return (
      row && {
        templateId: row.template_id,
        version: row.version,
        changelog: row.changelog,
        workflow: fromJson(row.workflow),
        inputs: fromJson(row.inputs),
        credentials: fromJson(row.credentials),
        createdAt: Number(row.created_at),
      }
    );
  }

  async listVersions(templateId: string) {
    const rows = await this.db
      .selectFrom('marketplace_versions')
      .select(['version', 'changelog', 'created_at'])
      .where('template_id', '=', templateId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({ version: r.version, changelog: r.changelog, createdAt: Number(r.created_at) }));
  }

  async setTemplateStatus(id: string, status: TemplateStatus, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('marketplace_templates')
      .set({ status, updated_at: at })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countView(id: string): Promise<void> {
    await this.db.updateTable('marketplace_templates').set({ views: sql`views + 1` }).where('id', '=', id).execute();
  }

  search(query: TemplateSearch): Promise<TemplateSearchResult> {
    return searchTemplates(this.db, this.dialect, query);
  }

  async recordInstall(i: TemplateInstall): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('marketplace_installs')
        .values({
          id: i.id,
          template_id: i.templateId,
          version: i.version,
          workspace_id: i.workspaceId,
          user_id: i.userId,
          workflow_id: i.workflowId,
          installed_at: i.installedAt,
          updated_at: i.updatedAt,
        })
        .execute();
      await tx
        .updateTable('marketplace_templates')
        .set({ installs: sql`installs + 1` })
        .where('id', '=', i.templateId)
        .execute();
    });
  }

  async getInstall(workspaceId: string, id: string): Promise<TemplateInstall | undefined> {
    const row = await this.db
      .selectFrom('marketplace_installs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && installFromRow(row);
  }

  async listInstalls(workspaceId: string): Promise<TemplateInstall[]> {
    const rows = await this.db
      .selectFrom('marketplace_installs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('installed_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(installFromRow);
  }

  async updateInstall(workspaceId: string, id: string, version: number, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('marketplace_installs')
      .set({ version, updated_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async hasInstalled(userId: string, templateId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('marketplace_installs')
      .select('id')
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addReview(r: TemplateReview): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx
        .insertInto('marketplace_reviews')
        .values({
          id: r.id,
          template_id: r.templateId,
          user_id: r.userId,
          rating: r.rating,
          text: r.text,
          status: r.status,
          reports: r.reports,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .onConflict((oc) => oc.columns(['template_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await rerate(tx, r.templateId);
      return true;
    });
  }

  async getReview(id: string): Promise<TemplateReview | undefined> {
    const row = await this.db.selectFrom('marketplace_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    return row && reviewFromRow(row);
  }

  async listReviews(q: { templateId?: string; status?: ReviewStatus; limit: number }): Promise<TemplateReview[]> {
    let query = this.db.selectFrom('marketplace_reviews').selectAll();
    if (q.templateId) query = query.where('template_id', '=', q.templateId);
    if (q.status) query = query.where('status', '=', q.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(reviewFromRow);
  }

  async setReviewStatus(id: string, status: ReviewStatus, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('marketplace_reviews')
        .set({ status, updated_at: at, ...(status === 'visible' ? { reports: 0 } : {}) })
        .where('id', '=', id)
        .returning('template_id')
        .executeTakeFirst();
      if (!row) return false;
      await rerate(tx, row.template_id);
      return true;
    });
  }

  async reportReview(reviewId: string, userId: string, reason: string, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const review = await tx
        .selectFrom('marketplace_reviews')
        .select('id')
        .where('id', '=', reviewId)
        .executeTakeFirst();
      if (!review) return false;
      const res = await tx
        .insertInto('marketplace_review_reports')
        .values({ review_id: reviewId, user_id: userId, reason, at })
        .onConflict((oc) => oc.columns(['review_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await tx
        .updateTable('marketplace_reviews')
        .set({
          reports: sql`reports + 1`,
          updated_at: at,
          status: sql`case when status = 'visible' then 'reported' else status end`,
        })
        .where('id', '=', reviewId)
        .execute();
      return true;
    });
  }

  async savePurchase(p: TemplatePurchase): Promise<void> {
    await this.db
      .insertInto('marketplace_purchases')
      .values({
        id: p.id,
        template_id: p.templateId,
        user_id: p.userId,
        creator_id: p.creatorId,
        amount: p.amount,
        fee_amount: p.feeAmount,
        currency: p.currency,
        status: p.status,
        payment_ref: p.paymentRef,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
      })
      .execute();
  }

  async getPurchase(id: string): Promise<TemplatePurchase | undefined> {
    const row = await this.db.selectFrom('marketplace_purchases').selectAll().where('id', '=', id).executeTakeFirst();
    return row && purchaseFromRow(row);
  }

  async getPurchaseByRef(paymentRef: string): Promise<TemplatePurchase | undefined> {
    const row = await this.db
      .selectFrom('marketplace_purchases')
      .selectAll()
      .where('payment_ref', '=', paymentRef)
      .executeTakeFirst();
    return row && purchaseFromRow(row);
  }

  async setPurchaseStatus(id: string, status: PurchaseStatus, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('marketplace_purchases')
      .set({ status, updated_at: at })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async listPurchases(userId: string): Promise<TemplatePurchase[]> {
    const rows = await this.db
      .selectFrom('marketplace_purchases')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(purchaseFromRow);
  }

  async hasPaid(userId: string, templateId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('marketplace_purchases')
      .select('id')
      .where('user_id', '=', userId)
      .where('template_id', '=', templateId)
      .where('status', '=', 'paid')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async revenue(creatorId: string): Promise<CreatorRevenue[]> {
    const paid = sql<string>`case when status = 'paid' then 1 else 0 end`;
    const rows = await this.db
      .selectFrom('marketplace_purchases')
      .select([
        'currency',
        sql<number | string>`sum(${paid})`.as('sales'),
        sql<number | string>`sum(case when status = 'paid' then amount else 0 end)`.as('gross'),
        sql<number | string>`sum(case when status = 'paid' then fee_amount else 0 end)`.as('fees'),
        sql<number | string>`sum(case when status = 'refunded' then 1 else 0 end)`.as('refunds'),
        sql<number | string>`sum(case when status = 'refunded' then amount else 0 end)`.as('refunded_amount'),
      ])
      .where('creator_id', '=', creatorId)
      .where('status', '<>', 'pending')
      .groupBy('currency')
      .orderBy('currency')
      .execute();
    return rows.map((r) => ({
      currency: r.currency,
      sales: Number(r.sales),
      gross: Number(r.gross),
      fees: Number(r.fees),
      refunds: Number(r.refunds),
      refundedAmount: Number(r.refunded_amount),
      net: Number(r.gross) - Number(r.fees),
    }));
  }
}

async function rerate(tx: Kysely<MarketplaceTables>, templateId: string): Promise<void> {
  const counted = tx
    .selectFrom('marketplace_reviews as r')
    .where('r.template_id', '=', templateId)
    .where('r.status', '<>', 'hidden');
  await tx
    .updateTable('marketplace_templates')
    .set({
      rating_count: counted.select(sql<number>`count(*)`.as('c')),
      rating_sum: counted.select(sql<number>`coalesce(sum(r.rating), 0)`.as('s')),
    })
    .where('id', '=', templateId)
    .execute();
}
