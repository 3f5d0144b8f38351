import type { Kysely, Selectable, Transaction } from 'kysely';
import { type ArticleState, type KbArticle, normalizePhrasing, type Revision, type RevisionAction } from '../kb/types';
import { json, now } from './rows';
import type { Database } from './schema';
import type { KnowledgeTables } from './knowledge-tables';

export type ArticleRow = Selectable<KnowledgeTables['kb_articles']>;
type Db = Kysely<Database> | Transaction<Database>;

export const toArticle = (r: ArticleRow, intents: string[], phrasings: string[]): KbArticle => ({
  id: r.id,
  title: r.title,
  category: r.category,
  tags: json(r.tags, []),
  locale: r.locale,
  summary: r.summary,
  body: r.body,
  phrasings,
  state: r.state as ArticleState,
  version: Number(r.version),
  intents,
  sourcePath: r.source_path,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export const toRevision = (r: Selectable<KnowledgeTables['kb_revisions']>): Revision => ({
  id: Number(r.id),
  articleId: r.article_id,
  version: Number(r.version),
  action: r.action as RevisionAction,
  agentId: r.agent_id,
  agentName: r.agent_name,
  snapshot: json(r.snapshot, { title: '', category: '', tags: [], locale: 'en', summary: '', body: '', phrasings: [], state: 'draft' }),
  note: r.note,
  createdAt: r.created_at,
});

export async function articleIntents(db: Db, articleId: string): Promise<string[]> {
  const rows = await db.selectFrom('kb_intents').select('name').where('article_id', '=', articleId).orderBy('position').orderBy('name').execute();
  return rows.map((r) => r.name);
}

export async function phrasingsOf(db: Db, intents: string[]): Promise<string[]> {
  if (intents.length === 0) return [];
  const rows = await db.selectFrom('kb_phrasings').select(['intent', 'text']).where('intent', 'in', intents).orderBy('position').orderBy('id').execute();
  return intents.flatMap((i) => rows.filter((r) => r.intent === i).map((r) => r.text));
}

/**
 * Make the article's phrasings exactly `wanted`: a phrasing it keeps stays with its intent (so an
 * article answering two intents keeps them apart for export), a new one joins the article's
 * first intent (created, named after the slug, when the article has none).
 */
export async function syncPhrasings(trx: Transaction<Database>, articleId: string, wanted: string[], source: string): Promise<void> {
  let intents = await articleIntents(trx, articleId);
  const existing = intents.length ? await trx.selectFrom('kb_phrasings').select(['id', 'intent', 'norm']).where('intent', 'in', intents).execute() : [];
  const byNorm = new Map(existing.map((r) => [r.norm, r]));
  const keep = new Set<number>();
  const seen = new Set<string>();
  let position = 0;
  for (const text of wanted) {
    const norm = normalizePhrasing(text);
    if (!norm || seen.has(norm)) continue;
    seen.add(norm);
    const row = byNorm.get(norm);
    if (row) {
      keep.add(Number(row.id));
      await trx.updateTable('kb_phrasings').set({ text, position: position++ }).where('id', '=', row.id).execute();
      continue;
    }
    if (intents.length === 0) intents = [await createIntent(trx, articleId)];
    await trx.insertInto('kb_phrasings').values({ intent: intents[0]!, text, norm, position: position++, source, created_at: now() }).execute();
  }
  const drop = existing.filter((r) => !keep.has(Number(r.id))).map((r) => r.id);
  if (drop.length) await trx.deleteFrom('kb_phrasings').where('id', 'in', drop).execute();
}

async function createIntent(trx: Transaction<Database>, articleId: string): Promise<string> {
  const base = articleId.replace(/-/g, '_');
  const last = await trx.selectFrom('kb_intents').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}_${n}`;
    const taken = await trx.selectFrom('kb_intents').select('name').where('name', '=', name).executeTakeFirst();
    if (taken) continue;
    await trx.insertInto('kb_intents').values({ name, article_id: articleId, response: null, position: Number(last?.max ?? 0) + 1 }).execute();
    return name;
  }
}
