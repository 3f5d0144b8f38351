import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { AgentClient } from '../support/agent-client';
import { ContractClient } from '../support/api-contract';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';
import { postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';

const PASSWORD = 'correct horse battery';
const postgres = await postgresRequiredInCi('the knowledge:write API suite');

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const article = {
  title: 'Connect Tidyflow to Zapier',
  category: 'integrations',
  tags: ['zapier'],
  locale: 'en',
  summary: 'Send new tasks to Zapier and back.',
  body: '## Zapier\n\nOpen **Settings → Integrations → Zapier** and paste your API token.',
  phrasings: ['how do I connect zapier', 'zapier integration setup', 'link my account to zapier'],
};

for (const backend of ['sqlite', 'postgres'] as const) {
  describe.skipIf(backend === 'postgres' && !postgres)(`knowledge:write through /api/v1 (${backend})`, () => {
    let server: TestServer;
    let writer: ContractClient;
    let reader: ContractClient;

    beforeAll(async () => {
      server = await startTestServer(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}, { pgSchema: 'fresh', kbDir: SAMPLE_KB_DIR });
      await server.desk.store.agents.create({ email: 'admin@tidyflow.test', name: 'Ada Admin', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
      const admin = new AgentClient(server.url);
      await admin.login('admin@tidyflow.test', PASSWORD);
      const key = async (scopes: string[]) => (await admin.json<{ secret: string }>('/api/admin/api-keys', { method: 'POST', json: { name: scopes.join('+'), scopes } })).secret;
      writer = new ContractClient(server.url, await key(['read', 'knowledge:write', 'conversations:write']));
      reader = new ContractClient(server.url, await key(['read']));
    }, 60_000);
    afterAll(async () => {
      await server?.close();
    });

    it('creates a draft, publishes it, and the bot answers with it; scopes, versions and clashes are enforced', async () => {
      expect((await reader.post('/articles', article)).status).toBe(403);

      const draft = await writer.post('/articles', article);
      expect(draft.status).toBe(201);
      expect(draft.body.article).toMatchObject({ id: 'connect-tidyflow-to-zapier', state: 'draft', version: 1, phrasings: article.phrasings });
      // Not public while it is a draft.
      expect((await reader.get('/articles/connect-tidyflow-to-zapier')).status).toBe(404);

      const stale = await writer.post('/articles/connect-tidyflow-to-zapier/state', { version: 7, state: 'published' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('version_conflict');
      const published = await writer.post('/articles/connect-tidyflow-to-zapier/state', { version: 1, state: 'published' });
      expect(published.status).toBe(200);
      expect(published.body.article.state).toBe('published');

      // Live without a restart: the help centre lists it and the bot answers with it.
      await until('the published article in the help centre', async () => (await reader.get('/articles/connect-tidyflow-to-zapier')).status === 200);
      const customer = await writer.post('/customers', { externalId: 'zap-1', name: 'Zed' });
      const opened = await writer.post('/conversations', { customerId: customer.body.customer.id, text: 'how do I connect zapier?' });
      expect(opened.status).toBe(201);
      const conversationId = opened.body.conversation.id as string;
      const messages = await writer.get(`/conversations/${conversationId}/messages`);
      expect(messages.body.data.some((m: { content: { type: string; articleId?: string } }) => m.content.type === 'article' && m.content.articleId === 'connect-tidyflow-to-zapier')).toBe(true);

      const edited = await writer.patch('/articles/connect-tidyflow-to-zapier', { ...article, version: published.body.article.version, summary: 'Zapier, both ways.' });
      expect(edited.status).toBe(200);
      expect(edited.body.article).toMatchObject({ summary: 'Zapier, both ways.', version: published.body.article.version + 1 });

      // A phrasing another article owns: refused unless moved on purpose.
      const clash = await writer.post('/articles', { ...article, title: 'Zapier again', phrasings: ['zapier integration setup'] });
      expect(clash.status).toBe(409);
      expect(clash.body.error.code).toBe('phrasing_taken');
      expect((await writer.post('/articles', { ...article, title: '', phrasings: [] })).status).toBe(400);
      // Every knowledge:write answer above was checked against the served OpenAPI document.
      for (const id of ['createArticle', 'updateArticle', 'setArticleState']) expect([...writer.covered].some((c) => c.startsWith(`${id} `))).toBe(true);
    });
  });
}
