import pg from 'pg';
import { channelFor } from '../realtime/pg-bus';

/**
 * For scripts (kb:import) that change the knowledge base outside a server: one NOTIFY in the
 * bus's envelope format, so every running instance rebuilds now rather than at its next check.
 */
export async function announceKnowledgeVersion(databaseUrl: string, schema: string | undefined, version: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_notify($1, $2)', [channelFor(schema), JSON.stringify({ i: 'kb-import', e: [{ type: 'knowledge', version }] })]);
  } finally {
    await client.end();
  }
}
