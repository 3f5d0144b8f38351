import { type Kysely, sql } from 'kysely';
import { KyselyAgents } from './agents';
import { KyselyApiKeys } from './api-keys';
import { KyselyApiReads } from './api-reads';
import { KyselyConversations } from './conversations';
import { KyselyCustomers } from './customers';
import { KyselyEmail } from './email';
import { KyselyEvents } from './events';
import { KyselyKnowledge } from './knowledge';
import { KyselyLimits } from './limits';
import { KyselyMetrics } from './metrics';
import { KyselyOutbox } from './outbox';
import type { Dialect } from './open';
import type { Database } from './schema';
import { KyselySurveys } from './surveys';
import { KyselyTickets } from './tickets';
import type { Store } from './types';
import { KyselyWebhooks } from './webhooks';
import { KyselyUi } from './ui';
import type { FastPaths } from './bot-turn-write';

/** Both backends: every area runs the same portable SQL (ON CONFLICT, RETURNING) on SQLite and PostgreSQL. */
export function kyselyStore(db: Kysely<Database>, dialect: Dialect, fast: FastPaths = {}): Store & { readonly db: Kysely<Database> } {
  return {
    dialect,
    /** For tests and benches that look past the contract (e.g. at a CHECK constraint). */
    db,
    close: () => db.destroy(),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    customers: new KyselyCustomers(db),
    conversations: new KyselyConversations(db, dialect, fast),
    tickets: new KyselyTickets(db),
    events: new KyselyEvents(db),
    surveys: new KyselySurveys(db),
    agents: new KyselyAgents(db),
    limits: new KyselyLimits(db),
    outbox: new KyselyOutbox(db, dialect),
    metrics: new KyselyMetrics(db, dialect),
    apiKeys: new KyselyApiKeys(db),
    webhooks: new KyselyWebhooks(db),
    apiReads: new KyselyApiReads(db),
    email: new KyselyEmail(db),
    knowledge: new KyselyKnowledge(db),
    ui: new KyselyUi(db, dialect),
  };
}
