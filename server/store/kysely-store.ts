import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { BotState } from '../../bot/engine';
import { type Channel, CSAT_SCALE, isCsatScore } from '../../bot/types';
import type { ChatMessage, ConversationState, MessageContent } from '../realtime/protocol';
import { badRequest, NotFoundError } from '../errors';
import type { Dialect } from './open';
import type { AgentsTable, ConversationsTable, CustomersTable, Database, EventsTable, MessagesTable, TicketsTable } from './schema';
import type {
  Agent,
  AppendResult,
  CannedResponse,
  ClaimResult,
  Conversation,
  Customer,
  EventRow,
  NewEvent,
  NewMessage,
  Session,
  Store,
  StoredSurvey,
  Survey,
  Ticket,
  TicketFilter,
} from './types';

const now = () => new Date().toISOString();

function json<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const toCustomer = (r: Selectable<CustomersTable>): Customer => ({
  id: r.id,
  channel: r.channel as Channel,
  externalId: r.external_id,
  name: r.name,
  email: r.email,
  attributes: json(r.attributes, {}),
  pageUrl: r.page_url,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  customerId: r.customer_id,
  channel: r.channel as Channel,
  state: r.state as ConversationState,
  botState: json<BotState>(r.bot_state, { misses: 0, tried: [] }),
  lastSeq: Number(r.last_seq),
  assigneeId: r.assignee_id,
  channelRef: json<unknown>(r.channel_ref, null),
  email: r.email,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  resolvedAt: r.resolved_at,
});

const toMessage = (r: Selectable<MessagesTable>): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: Number(r.seq),
  author: r.author as ChatMessage['author'],
  ...(r.author_name ? { authorName: r.author_name } : {}),
  content: json<MessageContent>(r.content, { type: 'text', text: '' }),
  createdAt: r.created_at,
  ...(r.client_id ? { clientId: r.client_id } : {}),
});

const toTicket = (r: Selectable<TicketsTable>): Ticket => ({
  id: r.id,
  conversationId: r.conversation_id,
  customerId: r.customer_id,
  channel: r.channel as Channel,
  status: r.status as Ticket['status'],
  priority: r.priority as Ticket['priority'],
  assigneeId: r.assignee_id,
  subject: r.subject,
  reason: r.reason,
  tags: json(r.tags, []),
  attempts: json(r.attempts, []),
  firstResponseDueAt: r.first_response_due_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEvent = (r: Selectable<EventsTable>): EventRow => ({
  id: Number(r.id),
  type: r.type,
  conversationId: r.conversation_id,
  ticketId: r.ticket_id,
  channel: r.channel,
  agentId: r.agent_id,
  data: json(r.data, {}),
  createdAt: r.created_at,
});

const toAgent = (r: Selectable<AgentsTable>): Agent => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Agent['role'],
  passwordHash: r.password_hash,
  presence: r.presence as Agent['presence'],
  lastSeenAt: r.last_seen_at,
  createdAt: r.created_at,
});

/** Unique-constraint violation in either backend. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** One implementation for both dialects: only portable SQL (ON CONFLICT, RETURNING) is used. */
export class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  // --- customers -----------------------------------------------------------------------

  async upsertCustomer(input: Partial<Customer> & { channel: Channel }): Promise<Customer> {
    const t = now();
    const existing = input.id
      ? await this.getCustomer(input.id)
      : input.externalId
        ? await this.findCustomerByExternalId(input.channel, input.externalId)
        : undefined;
    if (existing) {
      const patch = {
        last_seen_at: t,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.pageUrl !== undefined ? { page_url: input.pageUrl } : {}),
        ...(input.attributes !== undefined ? { attributes: JSON.stringify({ ...existing.attributes, ...input.attributes }) } : {}),
      };
      const row = await this.db.updateTable('customers').set(patch).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      return toCustomer(row);
    }
    const row = await this.db
      .insertInto('customers')
      .values({
        id: input.id ?? randomUUID(),
        channel: input.channel,
        external_id: input.externalId ?? null,
        name: input.name ?? null,
        email: input.email ?? null,
        attributes: JSON.stringify(input.attributes ?? {}),
        page_url: input.pageUrl ?? null,
        created_at: t,
        last_seen_at: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCustomer(row);
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCustomer(row);
  }

  async findCustomerByExternalId(channel: Channel, externalId: string): Promise<Customer | undefined> {
    const row = await this.db
      .selectFrom('customers')
      .selectAll()
      .where('channel', '=', channel)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row && toCustomer(row);
  }

  // --- conversations -------------------------------------------------------------------

  async createConversation(input: { customerId: string; channel: Channel; channelRef?: unknown }): Promise<Conversation> {
    const t = now();
    const row = await this.db
      .insertInto('conversations')
      .values({
        id: randomUUID(),
        customer_id: input.customerId,
        channel: input.channel,
        state: 'bot',
        bot_state: JSON.stringify({ misses: 0, tried: [] }),
        last_seq: 0,
        assignee_id: null,
        channel_ref: input.channelRef === undefined ? null : JSON.stringify(input.channelRef),
        email: null,
        created_at: t,
        updated_at: t,
        resolved_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toConversation(row);
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConversation(row);
  }

  async latestConversation(customerId: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  async listConversationsOfCustomer(customerId: string, limit = 20): Promise<Conversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toConversation);
  }

  async updateConversation(
    id: string,
    patch: Partial<Pick<Conversation, 'state' | 'botState' | 'assigneeId' | 'channelRef' | 'email' | 'resolvedAt'>>,
  ): Promise<Conversation> {
    const row = await this.db
      .updateTable('conversations')
      .set({
        updated_at: now(),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.botState !== undefined ? { bot_state: JSON.stringify(patch.botState) } : {}),
        ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
        ...(patch.channelRef !== undefined ? { channel_ref: JSON.stringify(patch.channelRef) } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('conversation', id);
    return toConversation(row);
  }

  // --- messages ------------------------------------------------------------------------

  private async findByClientId(conversationId: string, clientId: string): Promise<ChatMessage | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toMessage(row);
  }

  async appendMessage(input: NewMessage): Promise<AppendResult> {
    const clientId = input.clientId ?? null;
    try {
      if (this.dialect === 'postgres') return await this.appendMessageOneTrip(input, clientId);
      return await this.db.transaction().execute(async (trx) => {
        if (clientId) {
          const row = await trx
            .selectFrom('messages')
            .selectAll()
            .where('conversation_id', '=', input.conversationId)
            .where('client_id', '=', clientId)
            .executeTakeFirst();
          if (row) return { message: toMessage(row), duplicate: true };
        }
        // Incrementing the counter row locks the conversation (PostgreSQL row lock, SQLite
        // write lock), so concurrent appends get consecutive numbers without gaps.
        const counter = await trx
          .updateTable('conversations')
          .set({ last_seq: sql`last_seq + 1`, updated_at: now() })
          .where('id', '=', input.conversationId)
          .returning('last_seq')
          .executeTakeFirst();
        if (!counter) throw new NotFoundError('conversation', input.conversationId);
        const row = await trx
          .insertInto('messages')
          .values({
            id: randomUUID(),
            conversation_id: input.conversationId,
            seq: Number(counter.last_seq),
            author: input.author,
            author_id: input.authorId ?? null,
            author_name: input.authorName ?? null,
            content: JSON.stringify(input.content),
            client_id: clientId,
            created_at: now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { message: toMessage(row), duplicate: false };
      });
    } catch (err) {
      // Two concurrent sends of the same client id: the loser returns the winner's row.
      if (clientId && isUniqueViolation(err)) {
        const existing = await this.findByClientId(input.conversationId, clientId);
        if (existing) return { message: existing, duplicate: true };
      }
      throw err;
    }
  }
  /**
   * PostgreSQL: the same append as one statement (one round trip instead of five: the server
   * is often waiting on the network, not the disk). The counter UPDATE takes the row lock and
   * skips a client id already stored; a concurrent duplicate trips the unique index, which
   * rolls the whole statement back, counter included, so numbering stays gapless.
   */
  private async appendMessageOneTrip(input: NewMessage, clientId: string | null): Promise<AppendResult> {
    const at = now();
    const { rows } = await sql<Selectable<MessagesTable>>`
      with counter as (
        update conversations set last_seq = last_seq + 1, updated_at = ${at}
        where id = ${input.conversationId}
          and (${clientId}::text is null or not exists (
            select 1 from messages where conversation_id = ${input.conversationId} and client_id = ${clientId}::text))
        returning last_seq
      )
      insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at)
      select ${randomUUID()}, ${input.conversationId}, last_seq, ${input.author}, ${input.authorId ?? null}::text, ${input.authorName ?? null}::text,
             ${JSON.stringify(input.content)}, ${clientId}::text, ${at}
      from counter
      returning *`.execute(this.db);
    const [row] = rows;
    if (row) return { message: toMessage(row), duplicate: false };
    const existing = clientId ? await this.findByClientId(input.conversationId, clientId) : undefined;
    if (existing) return { message: existing, duplicate: true };
    throw new NotFoundError('conversation', input.conversationId);
  }


  async listMessages(conversationId: string, afterSeq = 0, limit = 500): Promise<ChatMessage[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  // --- tickets -------------------------------------------------------------------------

  async createTicket(
    input: Omit<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'firstResponseAt' | 'resolvedAt' | 'assigneeId' | 'status'>,
  ): Promise<Ticket> {
    const t = now();
    const row = await this.db
      .insertInto('tickets')
      .values({
        id: randomUUID(),
        conversation_id: input.conversationId,
        customer_id: input.customerId,
        channel: input.channel,
        status: 'open',
        priority: input.priority,
        assignee_id: null,
        subject: input.subject,
        reason: input.reason,
        tags: JSON.stringify(input.tags),
        attempts: JSON.stringify(input.attempts),
        first_response_due_at: input.firstResponseDueAt,
        first_response_at: null,
        resolved_at: null,
        created_at: t,
        updated_at: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTicket(row);
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const row = await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTicket(row);
  }

  async getTicketByConversation(conversationId: string): Promise<Ticket | undefined> {
    const row = await this.db.selectFrom('tickets').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row && toTicket(row);
  }

  async listTickets(filter: TicketFilter = {}): Promise<Ticket[]> {
    let q = this.db.selectFrom('tickets').selectAll();
    if (filter.status?.length) q = q.where('status', 'in', filter.status);
    if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.priority) q = q.where('priority', '=', filter.priority);
    if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo);
    if (filter.assigneeId === null) q = q.where('assignee_id', 'is', null);
    else if (filter.assigneeId) q = q.where('assignee_id', '=', filter.assigneeId);
    const rows = await q.orderBy('created_at', 'desc').limit(Math.min(filter.limit ?? 100, 10_000)).execute();
    return rows.map(toTicket);
  }

  async claimTicket(id: string, agentId: string, options: { force?: boolean } = {}): Promise<ClaimResult | undefined> {
    // A single conditional UPDATE is the atomic step: of two concurrent claims exactly one
    // matches `assignee_id IS NULL`, in SQLite and in PostgreSQL alike.
    let q = this.db
      .updateTable('tickets')
      .set({ assignee_id: agentId, status: 'assigned', updated_at: now() })
      .where('id', '=', id)
      .where('status', '!=', 'resolved');
    if (!options.force) q = q.where('assignee_id', 'is', null);
    const row = await q.returningAll().executeTakeFirst();
    if (row) return { ok: true, ticket: toTicket(row) };
    const current = await this.getTicket(id);
    return current && { ok: current.assigneeId === agentId, ticket: current };
  }

  async updateTicket(
    id: string,
    patch: Partial<Pick<Ticket, 'status' | 'priority' | 'tags' | 'assigneeId' | 'firstResponseAt' | 'resolvedAt' | 'subject'>>,
  ): Promise<Ticket> {
    const row = await this.db
      .updateTable('tickets')
      .set({
        updated_at: now(),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
        ...(patch.tags !== undefined ? { tags: JSON.stringify(patch.tags) } : {}),
        ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
        ...(patch.firstResponseAt !== undefined ? { first_response_at: patch.firstResponseAt } : {}),
        ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
        ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('ticket', id);
    return toTicket(row);
  }

  // --- events and surveys --------------------------------------------------------------

  async logEvent(event: NewEvent): Promise<void> {
    await this.db
      .insertInto('events')
      .values({
        type: event.type,
        conversation_id: event.conversationId ?? null,
        ticket_id: event.ticketId ?? null,
        channel: event.channel ?? null,
        agent_id: event.agentId ?? null,
        data: JSON.stringify(event.data ?? {}),
        created_at: now(),
      })
      .execute();
  }

  async listEvents(range: { from: string; to: string; types?: string[]; channel?: string }): Promise<EventRow[]> {
    let q = this.db.selectFrom('events').selectAll().where('created_at', '>=', range.from).where('created_at', '<', range.to);
    if (range.types?.length) q = q.where('type', 'in', range.types);
    if (range.channel) q = q.where('channel', '=', range.channel);
    return (await q.orderBy('id', 'asc').execute()).map(toEvent);
  }

  async listConversationEvents(conversationId: string): Promise<EventRow[]> {
    const rows = await this.db.selectFrom('events').selectAll().where('conversation_id', '=', conversationId).orderBy('id', 'asc').execute();
    return rows.map(toEvent);
  }

  async recordSurvey(s: Survey): Promise<boolean> {
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

  async recordCsat(conversationId: string, score: number): Promise<boolean> {
    if (!isCsatScore(score)) throw badRequest('invalid_score', `CSAT score must be a whole number from 1 to ${CSAT_SCALE}`);
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

  async listSurveys(range: { from: string; to: string; channel?: string }): Promise<StoredSurvey[]> {
    let q = this.db.selectFrom('surveys').selectAll().where('kind', '=', 'ces').where('created_at', '>=', range.from).where('created_at', '<', range.to);
    if (range.channel) q = q.where('channel', '=', range.channel);
    const rows = await q.execute();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      channel: r.channel as Channel,
      kind: 'ces',
      score: Number(r.score),
      comment: r.comment,
      articleId: r.article_id,
      intent: r.intent,
      agentId: r.agent_id,
      humanInvolved: Number(r.human_involved) === 1,
      csat: r.csat === null ? null : Number(r.csat),
      createdAt: r.created_at,
    }));
  }

  async recordArticleFeedback(input: { articleId: string; helpful: boolean; source: string; conversationId?: string | null }): Promise<void> {
    await this.db
      .insertInto('article_feedback')
      .values({
        article_id: input.articleId,
        helpful: input.helpful ? 1 : 0,
        source: input.source,
        conversation_id: input.conversationId ?? null,
        created_at: now(),
      })
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

  // --- dedupe and rate limits ----------------------------------------------------------

  async markProcessed(key: string): Promise<boolean> {
    const row = await this.db
      .insertInto('processed_events')
      .values({ key, created_at: now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async hitRateLimit(key: string, windowMs: number): Promise<number> {
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }))
      .returning('count')
      .executeTakeFirstOrThrow();
    // Old windows are garbage; trimming now and then keeps the table tiny.
    if (Math.random() < 0.01) {
      await this.db.deleteFrom('rate_limits').where('window_start', '<', windowStart - windowMs).execute();
    }
    return Number(row.count);
  }

  async rateLimitCount(key: string, windowMs: number): Promise<number> {
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    const row = await this.db.selectFrom('rate_limits').select('count').where('key', '=', key).where('window_start', '=', windowStart).executeTakeFirst();
    return row ? Number(row.count) : 0;
  }

  // --- agents, sessions, canned responses ----------------------------------------------

  async createAgent(input: Pick<Agent, 'email' | 'name' | 'role' | 'passwordHash'>): Promise<Agent> {
    const row = await this.db
      .insertInto('agents')
      .values({
        id: randomUUID(),
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        password_hash: input.passwordHash,
        presence: 'offline',
        last_seen_at: null,
        created_at: now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAgent(row);
  }

  async getAgent(id: string): Promise<Agent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAgent(row);
  }

  async getAgentByEmail(email: string): Promise<Agent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && toAgent(row);
  }

  async listAgents(): Promise<Agent[]> {
    const rows = await this.db.selectFrom('agents').selectAll().orderBy('name').execute();
    return rows.map(toAgent);
  }

  async countAgents(): Promise<number> {
    const row = await this.db.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setPresence(agentId: string, presence: Agent['presence']): Promise<void> {
    await this.db.updateTable('agents').set({ presence, last_seen_at: now() }).where('id', '=', agentId).execute();
  }

  async createSession(agentId: string, ttlMs: number): Promise<Session> {
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      agentId,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    };
    await this.db
      .insertInto('sessions')
      .values({ id: session.id, agent_id: agentId, csrf_token: session.csrfToken, expires_at: session.expiresAt, created_at: now() })
      .execute();
    return session;
  }

  async getSession(id: string): Promise<(Session & { agent: Agent }) | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', now()).executeTakeFirst();
    if (!row) return undefined;
    const agent = await this.getAgent(row.agent_id);
    return agent && { id: row.id, agentId: row.agent_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, agent };
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async listCannedResponses(): Promise<CannedResponse[]> {
    const rows = await this.db.selectFrom('canned_responses').select(['id', 'title', 'body']).orderBy('title').execute();
    return rows;
  }

  async createCannedResponse(input: { title: string; body: string; createdBy?: string | null }): Promise<CannedResponse> {
    const row = await this.db
      .insertInto('canned_responses')
      .values({ id: randomUUID(), title: input.title, body: input.body, created_by: input.createdBy ?? null, created_at: now() })
      .returning(['id', 'title', 'body'])
      .executeTakeFirstOrThrow();
    return row;
  }

  async deleteCannedResponse(id: string): Promise<void> {
    await this.db.deleteFrom('canned_responses').where('id', '=', id).execute();
  }
}
