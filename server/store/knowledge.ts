import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { conflict, notFound } from '../domain/errors';
import {
  type ArticleContent,
  type ArticleSnapshot,
  type ArticleState,
  type KbActor,
  type KbArticle,
  type KbDocument,
  normalizePhrasing,
  type Revision,
  type RevisionAction,
} from '../kb/types';
import { json, isUniqueViolation, now } from './rows';
import type { Database } from './schema';
import { articleIntents, type ArticleRow, phrasingsOf, syncPhrasings, toArticle, toRevision } from './knowledge-rows';

export type SaveResult = { ok: true; article: KbArticle } | { ok: false; current: KbArticle };

export interface InboxActionRow {
  id: number;
  groupKey: string;
  texts: string[];
  action: string;
  target: string | null;
  agentId: string | null;
  createdAt: string;
}

/** The knowledge base: articles (every state), phrasings, history, out-of-scope examples, inbox actions. */
export interface KnowledgeStore {
  isEmpty(): Promise<boolean>;
  /** Import: replaces the whole knowledge base in one transaction (one `import` revision per article). */
  replaceAll(doc: KbDocument, actor: KbActor): Promise<void>;
  /** Everything, every state, in import order: for export and for building the bot. */
  document(): Promise<KbDocument>;
  list(filter?: { state?: ArticleState; category?: string }): Promise<KbArticle[]>;
  get(id: string): Promise<KbArticle | undefined>;
  /** A second article with the same slug is refused (conflict `slug_taken`). */
  create(id: string, content: ArticleContent, state: ArticleState, actor: KbActor): Promise<KbArticle>;
  /** Saves only if the article is still at `expectedVersion`; otherwise returns the current one. */
  save(id: string, expectedVersion: number, change: Partial<ArticleContent> & { state?: ArticleState }, actor: KbActor, action: RevisionAction, note?: string): Promise<SaveResult>;
  /** An agent's suggested change: recorded in the history, the article untouched. */
  propose(id: string, content: ArticleContent, actor: KbActor, note?: string): Promise<Revision>;
  revisions(id: string): Promise<Revision[]>;
  revision(revisionId: number): Promise<Revision | undefined>;
  /** Which articles already use these phrasings (compared lower-case, spaces collapsed). */
  phrasingOwners(texts: string[]): Promise<{ text: string; articleId: string | null; intent: string }[]>;
  addOutOfScope(texts: string[]): Promise<number>;
  recordInboxAction(input: Omit<InboxActionRow, 'id' | 'createdAt'>): Promise<InboxActionRow>;
  inboxActions(): Promise<InboxActionRow[]>;
  /** The version of what the bot should serve: +1 with every change that reaches it. */
  publishedVersion(): Promise<number>;
  /** A random id of this knowledge base (this database), so a cached build is never taken for another's. */
  identity(): Promise<string>;
}

const VERSION_KEY = 'published_version';

export class KyselyKnowledge implements KnowledgeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
    return !row;
  }

  async replaceAll(doc: KbDocument, actor: KbActor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const table of ['kb_phrasings', 'kb_intents', 'kb_articles', 'kb_categories', 'kb_out_of_scope'] as const) await trx.deleteFrom(table).execute();
      const at = now();
      for (const [position, c] of doc.categories.entries()) await trx.insertInto('kb_categories').values({ id: c.id, name: c.name, position }).execute();
      for (const [position, a] of doc.articles.entries()) {
        await trx
          .insertInto('kb_articles')
          .values({ id: a.id, title: a.title, category: a.category, tags: JSON.stringify(a.tags), locale: a.locale, summary: a.summary, body: a.body, state: a.state, version: 1, position, source_path: a.sourcePath, created_at: at, updated_at: at, updated_by: actor.name })
          .execute();
      }
      for (const [position, intent] of doc.intents.entries()) {
        await trx.insertInto('kb_intents').values({ name: intent.name, article_id: intent.articleId, response: intent.response, position }).execute();
        const rows = intent.examples.map((text, i) => ({ intent: intent.name, text, norm: normalizePhrasing(text), position: i, source: 'import', created_at: at }));
        for (let i = 0; i < rows.length; i += 200) await trx.insertInto('kb_phrasings').values(rows.slice(i, i + 200)).execute();
      }
      const seen = new Set<string>();
      for (const text of doc.outOfScope) {
        const norm = normalizePhrasing(text);
        if (seen.has(norm)) continue;
        seen.add(norm);
        await trx.insertInto('kb_out_of_scope').values({ text, norm, created_at: at }).execute();
      }
      for (const a of doc.articles) {
        const article = await this.getIn(trx, a.id);
        if (article) await this.revise(trx, article, 'import', actor);
      }
      await this.bump(trx);
    });
  }

  async document(): Promise<KbDocument> {
    const categories = await this.db.selectFrom('kb_categories').select(['id', 'name']).orderBy('position').execute();
    const articles = await this.db.selectFrom('kb_articles').selectAll().orderBy('position').orderBy('created_at').execute();
    const intents = await this.db.selectFrom('kb_intents').selectAll().orderBy('position').orderBy('name').execute();
    const phrasings = await this.db.selectFrom('kb_phrasings').select(['intent', 'text']).orderBy('intent').orderBy('position').orderBy('id').execute();
    const byIntent = new Map<string, string[]>();
    for (const p of phrasings) byIntent.set(p.intent, [...(byIntent.get(p.intent) ?? []), p.text]);
    const oos = await this.db.selectFrom('kb_out_of_scope').select('text').orderBy('id').execute();
    const intentsOf = new Map<string, string[]>();
    for (const i of intents) if (i.article_id) intentsOf.set(i.article_id, [...(intentsOf.get(i.article_id) ?? []), i.name]);
    return {
      categories,
      articles: articles.map((r) => {
        const { phrasings: _p, version: _v, createdAt: _c, updatedAt: _u, updatedBy: _b, ...rest } = toArticle(r, intentsOf.get(r.id) ?? [], []);
        return rest;
      }),
      intents: intents.map((i) => ({ name: i.name, articleId: i.article_id, response: i.response, examples: byIntent.get(i.name) ?? [] })),
      outOfScope: oos.map((o) => o.text),
    };
  }

  async list(filter: { state?: ArticleState; category?: string } = {}): Promise<KbArticle[]> {
    let q = this.db.selectFrom('kb_articles').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.category) q = q.where('category', '=', filter.category);
    const rows = await q.orderBy('updated_at', 'desc').execute();
    const intents = await this.db.selectFrom('kb_intents').select(['name', 'article_id']).where('article_id', 'is not', null).orderBy('position').execute();
    const phrasings = await this.db.selectFrom('kb_phrasings').select(['intent', 'text']).orderBy('position').orderBy('id').execute();
    const byIntent = new Map<string, string[]>();
    for (const p of phrasings) byIntent.set(p.intent, [...(byIntent.get(p.intent) ?? []), p.text]);
    return rows.map((r) => {
      const names = intents.filter((i) => i.article_id === r.id).map((i) => i.name);
      return toArticle(r, names, names.flatMap((n) => byIntent.get(n) ?? []));
    });
  }

  get(id: string): Promise<KbArticle | undefined> {
    return this.getIn(this.db, id);
  }

  private async getIn(db: Kysely<Database> | Transaction<Database>, id: string): Promise<KbArticle | undefined> {
    const row = await db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const intents = await articleIntents(db, id);
    return toArticle(row, intents, await phrasingsOf(db, intents));
  }

  async create(id: string, content: ArticleContent, state: ArticleState, actor: KbActor): Promise<KbArticle> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const at = now();
        const last = await trx.selectFrom('kb_articles').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
        await trx
          .insertInto('kb_articles')
          .values({ id, title: content.title, category: content.category, tags: JSON.stringify(content.tags), locale: content.locale, summary: content.summary, body: content.body, state, version: 1, position: Number(last?.max ?? 0) + 1, source_path: null, created_at: at, updated_at: at, updated_by: actor.name })
          .execute();
        await syncPhrasings(trx, id, content.phrasings, 'editor');
        const article = (await this.getIn(trx, id))!;
        await this.revise(trx, article, 'create', actor);
        if (state === 'published') await this.bump(trx);
        return article;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('slug_taken', `an article with the address "${id}" already exists`);
      throw err;
    }
  }

  async save(id: string, expectedVersion: number, change: Partial<ArticleContent> & { state?: ArticleState }, actor: KbActor, action: RevisionAction, note?: string): Promise<SaveResult> {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.getIn(trx, id);
      if (!before) throw notFound('article', id);
      const { phrasings, tags, state, ...rest } = change;
      const result = await trx
        .updateTable('kb_articles')
        .set({ ...rest, ...(tags ? { tags: JSON.stringify(tags) } : {}), ...(state ? { state } : {}), version: expectedVersion + 1, updated_at: now(), updated_by: actor.name })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return { ok: false as const, current: before };
      if (phrasings) await syncPhrasings(trx, id, phrasings, action === 'phrasing' ? 'inbox' : 'editor');
      const article = (await this.getIn(trx, id))!;
      await this.revise(trx, article, action, actor, note);
      if (before.state === 'published' || article.state === 'published') await this.bump(trx);
      return { ok: true as const, article };
    });
  }

  async propose(id: string, content: ArticleContent, actor: KbActor, note?: string): Promise<Revision> {
    const article = await this.get(id);
    if (!article) throw notFound('article', id);
    const snapshot: ArticleSnapshot = { ...content, state: article.state };
    const row = await this.db
      .insertInto('kb_revisions')
      .values({ article_id: id, version: article.version, action: 'proposal', agent_id: actor.id, agent_name: actor.name, snapshot: JSON.stringify(snapshot), note: note ?? null, created_at: now() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRevision(row);
  }

  async revisions(id: string): Promise<Revision[]> {
    const rows = await this.db.selectFrom('kb_revisions').selectAll().where('article_id', '=', id).orderBy('id', 'desc').limit(200).execute();
    return rows.map(toRevision);
  }

  async revision(revisionId: number): Promise<Revision | undefined> {
    const row = await this.db.selectFrom('kb_revisions').selectAll().where('id', '=', revisionId).executeTakeFirst();
    return row && toRevision(row);
  }

  async phrasingOwners(texts: string[]): Promise<{ text: string; articleId: string | null; intent: string }[]> {
    const norms = [...new Set(texts.map(normalizePhrasing).filter(Boolean))];
    if (norms.length === 0) return [];
    const rows = await this.db
      .selectFrom('kb_phrasings')
      .leftJoin('kb_intents', 'kb_intents.name', 'kb_phrasings.intent')
      .select(['kb_phrasings.text', 'kb_phrasings.intent', 'kb_intents.article_id'])
      .where('kb_phrasings.norm', 'in', norms)
      .execute();
    return rows.map((r) => ({ text: r.text, intent: r.intent, articleId: r.article_id }));
  }

  async addOutOfScope(texts: string[]): Promise<number> {
    let added = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const text of texts) {
        const r = await trx.insertInto('kb_out_of_scope').values({ text, norm: normalizePhrasing(text), created_at: now() }).onConflict((oc) => oc.column('norm').doNothing()).executeTakeFirst();
        added += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      if (added > 0) await this.bump(trx);
    });
    return added;
  }

  async recordInboxAction(input: Omit<InboxActionRow, 'id' | 'createdAt'>): Promise<InboxActionRow> {
    const row = await this.db
      .insertInto('kb_inbox_actions')
      .values({ group_key: input.groupKey, texts: JSON.stringify(input.texts), action: input.action, target: input.target, agent_id: input.agentId, created_at: now() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), groupKey: row.group_key, texts: json(row.texts, []), action: row.action, target: row.target, agentId: row.agent_id, createdAt: row.created_at };
  }

  async inboxActions(): Promise<InboxActionRow[]> {
    const rows = await this.db.selectFrom('kb_inbox_actions').selectAll().orderBy('id', 'asc').execute();
    return rows.map((row) => ({ id: Number(row.id), groupKey: row.group_key, texts: json(row.texts, []), action: row.action, target: row.target, agentId: row.agent_id, createdAt: row.created_at }));
  }

  async identity(): Promise<string> {
    await this.db.insertInto('kb_meta').values({ key: 'kb_id', value: randomUUID() }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await this.db.selectFrom('kb_meta').select('value').where('key', '=', 'kb_id').executeTakeFirstOrThrow();
    return row.value;
  }

  async publishedVersion(): Promise<number> {
    const row = await this.db.selectFrom('kb_meta').select('value').where('key', '=', VERSION_KEY).executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  private async bump(trx: Transaction<Database>): Promise<void> {
    // One statement, so concurrent changes each count (no read-then-write race).
    await trx
      .insertInto('kb_meta')
      .values({ key: VERSION_KEY, value: '1' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql<string>`cast(cast(kb_meta.value as integer) + 1 as text)` }))
      .execute();
  }

  private async revise(trx: Transaction<Database>, article: KbArticle, action: RevisionAction, actor: KbActor, note?: string): Promise<void> {
    const { title, category, tags, locale, summary, body, phrasings, state } = article;
    const snapshot: ArticleSnapshot = { title, category, tags, locale, summary, body, phrasings, state };
    await trx
      .insertInto('kb_revisions')
      .values({ article_id: article.id, version: article.version, action, agent_id: actor.id, agent_name: actor.name, snapshot: JSON.stringify(snapshot), note: note ?? null, created_at: now() })
      .execute();
  }
}

export type { ArticleRow };
