import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/store/types';
import { dropSchema, freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';

/**
 * Migration 010 on a database that already holds tickets: what was stored before the index
 * existed is found afterwards. "Before" is made by removing 010's objects and its bookkeeping
 * row from a current database, then opening it again (which runs 010 once more).
 */
async function seed(store: Store): Promise<string> {
  const customer = await store.customers.save({ channel: 'web', name: 'Zoë Müller', email: 'zoe@example.test' });
  const { conversation } = await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: 'web' });
  await store.conversations.append({ conversationId: conversation.id, author: 'customer', content: { type: 'text', text: 'La facture de décembre est fausse' } });
  const ticket = await store.tickets.create({
    conversationId: conversation.id,
    customerId: customer.id,
    channel: 'web',
    priority: 'normal',
    subject: 'Réclamation',
    reason: 'customer_asked',
    tags: [],
    attempts: [],
    firstResponseDueAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return ticket.id;
}

async function expectFound(store: Store, id: string): Promise<void> {
  expect(await store.ui.searchTickets('decembre')).toEqual([id]);
  expect(await store.ui.searchTickets('reclamation zoe')).toEqual([id]);
  expect(await store.ui.searchTickets('example.test')).toEqual([id]);
}

describe('migration 010 indexes what was stored before it', () => {
  it('on SQLite', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'answerdesk-010-')), 'db.sqlite');
    let store = await openStore({ sqlitePath: path });
    const id = await seed(store);
    await store.close();
    const raw = new SQLite(path);
    raw.exec("drop table search_fts; drop table search_docs; delete from kysely_migration where name = '010_search'");
    raw.close();
    store = await openStore({ sqlitePath: path });
    try {
      await expectFound(store, id);
    } finally {
      await store.close();
    }
  });

  it('on PostgreSQL', async () => {
    if (!(await postgresRequiredInCi('migration 010'))) return;
    const schema = freshSchema();
    let store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    try {
      const id = await seed(store);
      await store.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop table ${schema}.search_docs; delete from ${schema}.kysely_migration where name = '010_search'`);
      await client.end();
      store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
      await expectFound(store, id);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
