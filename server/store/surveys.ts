import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CSAT_SCALE, isCsatScore } from '../../bot/types';
import { invalid } from '../domain/errors';
import { now, toStoredSurvey } from './rows';
import type { Database } from './schema';
import type { NewOutboxItem, StoredSurvey, Survey } from './types';
import { insertOutboxRows } from './outbox-rows';

export interface SurveyStore {
  /** One answer per conversation and kind: true the first time. `outbox` rows (webhook events) are written with it, only then. */
  record(survey: Survey, outbox?: NewOutboxItem[]): Promise<boolean>;
  /**
   * Sets the CSAT score on the conversation's CES survey. True the first time; false when it
   * is already set (the first answer wins) or there is no CES answer to attach it to. Throws
   * an `invalid` error for anything but an integer 1–5.
   */
  recordCsat(conversationId: string, score: number, outbox?: NewOutboxItem[]): Promise<boolean>;
  /** Adds a comment to the conversation's CES answer when it has none yet (email's landing page). True when stored. */
  addComment(conversationId: string, comment: string): Promise<boolean>;
  list(range: { from: string; to: string; channel?: string }): Promise<StoredSurvey[]>;
  recordArticleFeedback(input: { articleId: string; helpful: boolean; source: string; conversationId?: string | null }): Promise<void>;
  articleFeedbackCounts(range: { from: string; to: string }): Promise<{ articleId: string; helpful: number; notHelpful: number }[]>;
}

export class KyselySurveys implements SurveyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(s: Survey, outbox: NewOutboxItem[] = []): Promise<boolean> {
    if (outbox.length > 0) {
      return this.db.transaction().execute(async (trx) => (await new KyselySurveys(trx).record(s)) && (await insertOutboxRows(trx, outbox, s.conversationId), true));
    }
    const row = await this.db
      .insertInto('surveys')
      .values({
        id: randomUUID(),
        conversation_id: s.conversationId,
        channel: s.channel,
        kind: s.kind,
        score: s.score,
        comment: s.comment ?? null,
        article_id: s.articleId ?? null,
        intent: s.intent ?? null,
        agent_id: s.agentId ?? null,
        human_involved: s.humanInvolved ? 1 : 0,
        created_at: now(),
      })
      // One answer per conversation and survey kind: a double click is not two votes.
      .onConflict((oc) => oc.columns(['conversation_id', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async addComment(conversationId: string, comment: string): Promise<boolean> {
    const row = await this.db
      .updateTable('surveys')
      .set({ comment: comment.slice(0, 1000) })
      .where('conversation_id', '=', conversationId)
      .where('kind', '=', 'ces')
      .where('comment', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async recordCsat(conversationId: string, score: number, outbox: NewOutboxItem[] = []): Promise<boolean> {
    if (!isCsatScore(score)) throw invalid('invalid_score', `CSAT score must be a whole number from 1 to ${CSAT_SCALE}`);
    if (outbox.length > 0) {
      return this.db.transaction().execute(async (trx) => (await new KyselySurveys(trx).recordCsat(conversationId, score)) && (await insertOutboxRows(trx, outbox, conversationId), true));
    }
    // Conditional UPDATE: of two answers (double click, two instances) exactly one finds csat still null.
    const row = await this.db
      .updateTable('surveys')
      .set({ csat: score })
      .where('conversation_id', '=', conversationId)
      .where('kind', '=', 'ces')
      .where('csat', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(range: { from: string; to: string; channel?: string }): Promise<StoredSurvey[]> {
    let q = this.db.selectFrom('surveys').selectAll().where('kind', '=', 'ces').where('created_at', '>=', range.from).where('created_at', '<', range.to);
    if (range.channel) q = q.where('channel', '=', range.channel);
    return (await q.execute()).map(toStoredSurvey);
  }

  async recordArticleFeedback(input: { articleId: string; helpful: boolean; source: string; conversationId?: string | null }): Promise<void> {
    await this.db
      .insertInto('article_feedback')
      .values({ article_id: input.articleId, helpful: input.helpful ? 1 : 0, source: input.source, conversation_id: input.conversationId ?? null, created_at: now() })
      .execute();
  }

  async articleFeedbackCounts(range: { from: string; to: string }): Promise<{ articleId: string; helpful: number; notHelpful: number }[]> {
    const rows = await this.db
      .selectFrom('article_feedback')
      .select(['article_id', 'helpful', (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .groupBy(['article_id', 'helpful'])
      .execute();
    const byArticle = new Map<string, { articleId: string; helpful: number; notHelpful: number }>();
    for (const r of rows) {
      const entry = byArticle.get(r.article_id) ?? { articleId: r.article_id, helpful: 0, notHelpful: 0 };
      if (Number(r.helpful) === 1) entry.helpful += Number(r.n);
      else entry.notHelpful += Number(r.n);
      byArticle.set(r.article_id, entry);
    }
    return [...byArticle.values()];
  }
}
