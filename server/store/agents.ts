import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict } from '../domain/errors';
import { now, toAgent } from './rows';
import type { Database } from './schema';
import type { Agent, CannedResponse, Session } from './types';

/** Agents, their console sessions and the team's canned responses. */
export interface AgentStore {
  /** Throws a `conflict` DomainError (agent_exists) when the email is taken. */
  create(input: Pick<Agent, 'email' | 'name' | 'role' | 'passwordHash'>): Promise<Agent>;
  get(id: string): Promise<Agent | undefined>;
  byEmail(email: string): Promise<Agent | undefined>;
  list(): Promise<Agent[]>;
  count(): Promise<number>;
  setPresence(agentId: string, presence: Agent['presence']): Promise<void>;

  createSession(agentId: string, ttlMs: number): Promise<Session>;
  getSession(id: string): Promise<(Session & { agent: Agent }) | undefined>;
  deleteSession(id: string): Promise<void>;

  listCanned(): Promise<CannedResponse[]>;
  createCanned(input: { title: string; body: string; createdBy?: string | null }): Promise<CannedResponse>;
  deleteCanned(id: string): Promise<void>;
}

export class KyselyAgents implements AgentStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: Pick<Agent, 'email' | 'name' | 'role' | 'passwordHash'>): Promise<Agent> {
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
      // Two requests creating the same email at once: one agent, the other a conflict (not a 500).
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('agent_exists', 'an agent with this email already exists');
    return toAgent(row);
  }

  async get(id: string): Promise<Agent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAgent(row);
  }

  async byEmail(email: string): Promise<Agent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && toAgent(row);
  }

  async list(): Promise<Agent[]> {
    const rows = await this.db.selectFrom('agents').selectAll().orderBy('name').execute();
    return rows.map(toAgent);
  }

  async count(): Promise<number> {
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
    await this.db.insertInto('sessions').values({ id: session.id, agent_id: agentId, csrf_token: session.csrfToken, expires_at: session.expiresAt, created_at: now() }).execute();
    return session;
  }

  async getSession(id: string): Promise<(Session & { agent: Agent }) | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', now()).executeTakeFirst();
    if (!row) return undefined;
    const agent = await this.get(row.agent_id);
    return agent && { id: row.id, agentId: row.agent_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, agent };
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async listCanned(): Promise<CannedResponse[]> {
    return this.db.selectFrom('canned_responses').select(['id', 'title', 'body']).orderBy('title').execute();
  }

  async createCanned(input: { title: string; body: string; createdBy?: string | null }): Promise<CannedResponse> {
    return this.db
      .insertInto('canned_responses')
      .values({ id: randomUUID(), title: input.title, body: input.body, created_by: input.createdBy ?? null, created_at: now() })
      .returning(['id', 'title', 'body'])
      .executeTakeFirstOrThrow();
  }

  async deleteCanned(id: string): Promise<void> {
    await this.db.deleteFrom('canned_responses').where('id', '=', id).execute();
  }
}
