import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './open';
import { searchTicketIds } from './search-index';
import { now } from './rows';
import type { CannedResponse } from './types';

interface UiTables {
  article_views: { article_id: string; views: number };
  tickets: { id: string; conversation_id: string; customer_id: string; subject: string; created_at: string };
  settings: { key: string; value: string; updated_at: string };
  canned_responses: { id: string; title: string; body: string; created_by: string | null; created_at: string };
  attachments: { id: string; conversation_id: string; name: string; mime: string; size: number; data: Uint8Array; uploaded_by: string; created_at: string };
}

export interface AttachmentMeta {
  id: string;
  conversationId: string;
  name: string;
  mime: string;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

/** Team settings (JSON per key), editable canned responses and attachments kept in the database. */
export interface UiStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
  /** undefined when no such response exists. */
  updateCanned(id: string, input: { title: string; body: string }): Promise<CannedResponse | undefined>;
  saveAttachment(input: { conversationId: string; name: string; mime: string; data: Uint8Array; uploadedBy: string }): Promise<AttachmentMeta>;
  attachment(id: string): Promise<(AttachmentMeta & { data: Uint8Array }) | undefined>;
  /**
   * Full-text search: ticket ids whose subject, customer name or email, or any message holds
   * every word of `query` (the last word as a prefix; case and accents ignored). Tickets whose
   * subject, name or email hold every word come first, then newest first; the same on both
   * backends (see search-index.ts).
   */
  searchTickets(query: string, limit?: number): Promise<string[]>;
  /** Ticket id and subject for each of these conversations that has one. */
  ticketsOf(conversationIds: string[]): Promise<{ id: string; conversationId: string; subject: string }[]>;
  /** One more view of a help-centre article (an atomic upsert: concurrent views all count). */
  countView(articleId: string): Promise<void>;
  /** The most viewed articles, most first. */
  mostViewed(limit: number): Promise<{ articleId: string; views: number }[]>;
}

export class KyselyUi implements UiStore {
  private readonly db: Kysely<UiTables>;
  constructor(
    db: Kysely<any>,
    private readonly dialect: Dialect,
  ) {
    this.db = db as Kysely<UiTables>;
  }

  async getSetting(key: string): Promise<unknown> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value);
    } catch {
      return undefined;
    }
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: now() };
    await this.db
      .insertInto('settings')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }

  async updateCanned(id: string, input: { title: string; body: string }): Promise<CannedResponse | undefined> {
    return this.db.updateTable('canned_responses').set(input).where('id', '=', id).returning(['id', 'title', 'body']).executeTakeFirst();
  }

  async saveAttachment(input: { conversationId: string; name: string; mime: string; data: Uint8Array; uploadedBy: string }): Promise<AttachmentMeta> {
    const row = { id: randomUUID(), conversation_id: input.conversationId, name: input.name, mime: input.mime, size: input.data.byteLength, data: input.data, uploaded_by: input.uploadedBy, created_at: now() };
    await this.db.insertInto('attachments').values(row).execute();
    return { id: row.id, conversationId: row.conversation_id, name: row.name, mime: row.mime, size: row.size, uploadedBy: row.uploaded_by, createdAt: row.created_at };
  }

  async searchTickets(query: string, limit = 50): Promise<string[]> {
    return searchTicketIds(this.db, this.dialect, query, limit);
  }

  async ticketsOf(conversationIds: string[]): Promise<{ id: string; conversationId: string; subject: string }[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.db.selectFrom('tickets').select(['id', 'conversation_id', 'subject']).where('conversation_id', 'in', conversationIds).execute();
    return rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, subject: r.subject }));
  }

  async countView(articleId: string): Promise<void> {
    await this.db
      .insertInto('article_views')
      .values({ article_id: articleId, views: 1 })
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ views: sql`article_views.views + 1` }))
      .execute();
  }

  async mostViewed(limit: number): Promise<{ articleId: string; views: number }[]> {
    const rows = await this.db.selectFrom('article_views').selectAll().orderBy('views', 'desc').orderBy('article_id').limit(limit).execute();
    return rows.map((r) => ({ articleId: r.article_id, views: Number(r.views) }));
  }

  async attachment(id: string): Promise<(AttachmentMeta & { data: Uint8Array }) | undefined> {
    const r = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return { id: r.id, conversationId: r.conversation_id, name: r.name, mime: r.mime, size: Number(r.size), uploadedBy: r.uploaded_by, createdAt: r.created_at, data: new Uint8Array(r.data) };
  }
}
