import { type Kysely, sql } from 'kysely';
import { now, toOutboxItem } from './rows';
import type { Database } from './schema';
import { insertOutboxRows } from './outbox-rows';
import type { NewOutboxItem, OutboxItem } from './types';

/**
 * Messages waiting to leave through a platform (Slack, Teams, later email and webhooks).
 * Rows are written with the message they carry (ConversationStore.append), then leased by a
 * delivery worker on any instance: a lease keeps two workers from sending one row at once,
 * and a lease that runs out (its instance died) makes the row anyone's again.
 */
export interface OutboxStore {
  /** A row not tied to a stored message (a refusal notice, a welcome). */
  enqueue(item: NewOutboxItem & { conversationId?: string | null }): Promise<void>;
  /**
   * Leases up to `limit` due rows to `owner` for `leaseMs`. Within a conversation and channel only
   * the oldest undelivered row is ever handed out, so a thread receives its messages in order
   * (and a platform that is down never holds up another channel's rows, e.g. webhook events).
   */
  claim(owner: string, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  /** Each of these applies only while `owner` still holds the lease; false otherwise. */
  markSent(id: number, owner: string): Promise<boolean>;
  /** Extends a lease while its delivery is still under way (a slow relay must not make the row anyone's). */
  renew(id: number, owner: string, until: Date): Promise<boolean>;
  retry(id: number, owner: string, nextAttemptAt: Date, error: string): Promise<boolean>;
  fail(id: number, owner: string, error: string): Promise<boolean>;
  /** Deletes delivered rows finished before `before` (failed ones stay: the console shows them). */
  prune(before: Date): Promise<number>;
  /** Rows not delivered yet (pending), for tests and /readyz-style checks. */
  pending(): Promise<number>;
  /** Undelivered rows of a conversation, failed ones first: what the console shows on a ticket. */
  problems(conversationId: string): Promise<OutboxItem[]>;
}

export class KyselyOutbox implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async enqueue(item: NewOutboxItem & { conversationId?: string | null }): Promise<void> {
    await insertOutboxRows(this.db, [item], item.conversationId ?? null);
  }

  async claim(owner: string, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const t = now();
    const until = new Date(Date.now() + leaseMs).toISOString();
    // PostgreSQL: SKIP LOCKED lets instances claim side by side; a row another instance is
    // leasing right now is re-checked against its new lease and skipped. SQLite has one writer.
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const { rows } = await sql<Parameters<typeof toOutboxItem>[0]>`
      update outbox set lease_owner = ${owner}, lease_until = ${until}, attempts = attempts + 1
      where id in (
        select o.id from outbox o
        where o.state = 'pending' and o.next_attempt_at <= ${t}
          and (o.lease_until is null or o.lease_until < ${t})
          and not exists (
            select 1 from outbox p
            where p.conversation_id = o.conversation_id and p.channel = o.channel and p.state = 'pending' and p.id < o.id)
        order by o.id
        limit ${limit}
        ${lock}
      )
      returning *`.execute(this.db);
    return rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  private async finish(id: number, owner: string, set: Record<string, unknown>): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ lease_owner: null, lease_until: null, ...set })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async renew(id: number, owner: string, until: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ lease_until: until.toISOString() })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  markSent(id: number, owner: string): Promise<boolean> {
    return this.finish(id, owner, { state: 'sent', done_at: now(), last_error: null });
  }

  retry(id: number, owner: string, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.finish(id, owner, { next_attempt_at: nextAttemptAt.toISOString(), last_error: error.slice(0, 500) });
  }

  fail(id: number, owner: string, error: string): Promise<boolean> {
    return this.finish(id, owner, { state: 'failed', done_at: now(), last_error: error.slice(0, 500) });
  }

  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('outbox').where('state', '=', 'sent').where('done_at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async pending(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async problems(conversationId: string): Promise<OutboxItem[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where((eb) => eb.or([eb('state', '=', 'failed'), eb.and([eb('state', '=', 'pending'), eb('last_error', 'is not', null)])]))
      .orderBy('id', 'desc')
      .limit(20)
      .execute();
    return rows.map(toOutboxItem);
  }
}
