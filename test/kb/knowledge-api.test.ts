import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { readFolder } from '../../server/kb/folder';
import { AgentClient } from '../support/agent-client';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/** Editing the knowledge base through the console API: bad input, concurrency and roles, each with a defined outcome. */
let server: TestServer;
let agent: AgentClient;
const PASSWORD = 'agent password 123';

const content = (over: Record<string, unknown> = {}) => ({ title: 'Import projects from Trello', category: 'integrations', tags: ['trello'], locale: 'en', summary: 'How to import.', body: '## Import\n\nGo to Settings → Import.', phrasings: ['can I import from trello'], ...over });
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

beforeAll(async () => {
  server = await startTestServer();
  const store = server.desk.store;
  await store.knowledge.replaceAll(readFolder(SAMPLE_KB_DIR), { id: null, name: 'test' });
  await server.desk.knowledge.refresh();
  await store.agents.create({ email: 'ann@tidyflow.test', name: 'Ann Agent', role: 'agent', passwordHash: await hashPassword(PASSWORD) });
  agent = new AgentClient(server.url);
  expect((await agent.login('ann@tidyflow.test', PASSWORD)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const post = (path: string, body: unknown) => server.admin(path, { method: 'POST', body: JSON.stringify(body) });
const patch = (path: string, body: unknown) => server.admin(path, { method: 'PATCH', body: JSON.stringify(body) });

describe('knowledge API', () => {
  it('refuses a second article with the same slug (409 slug_taken), and a malformed slug (400)', async () => {
    const first = await json(await post('/api/knowledge/articles', { slug: 'dup-slug', content: content({ phrasings: [] }) }));
    expect(first.status).toBe(201);
    const second = await json(await post('/api/knowledge/articles', { slug: 'dup-slug', content: content({ phrasings: [], title: 'Other' }) }));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('slug_taken');
    const bad = await json(await post('/api/knowledge/articles', { slug: '../etc/passwd', content: content({ phrasings: [] }) }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_slug');
  });

  it('refuses a huge article with 413 and stores nothing; an oversized request body is 413 too', async () => {
    const huge = await json(await post('/api/knowledge/articles', { slug: 'huge', content: content({ phrasings: [], body: 'word '.repeat(50_000) }) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('article_too_large');
    expect(await server.desk.store.knowledge.get('huge')).toBeUndefined();
    const enormous = await post('/api/knowledge/articles', { slug: 'enormous', content: content({ phrasings: [], body: 'x'.repeat(600_000) }) });
    expect(enormous.status).toBe(413);
  });

  it('keeps scripts out of every rendering: preview, help centre, and the stored Markdown is unchanged', async () => {
    const body = '## Safe\n\n<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3))';
    const created = await json(await post('/api/knowledge/articles', { slug: 'script-test', publish: true, content: content({ body, phrasings: ['script test phrasing'] }) }));
    expect(created.status).toBe(201);
    expect(created.body.article.body).toBe(body);
    const preview = await json(await post('/api/knowledge/preview', { markdown: body }));
    for (const html of [preview.body.html as string, await (await fetch(`${server.url}/help/articles/script-test`)).text()]) {
      expect(html).toContain('Safe');
      // The page may load the widget's own script; the article's payload must not survive.
      expect(html).not.toMatch(/<script>alert|onerror=|href="javascript:/i);
    }
  });

  it('warns when a phrasing already belongs to another article (says which), and moves it only when asked', async () => {
    const taken = 'how do I change my credit card';
    const check = await json(await post('/api/knowledge/phrasings/check', { texts: [taken, 'something new'], articleId: null }));
    expect(check.body.clashes).toEqual([{ text: taken, articleId: 'update-payment-method', title: expect.any(String) }]);
    const refused = await json(await post('/api/knowledge/articles', { slug: 'cards', content: content({ title: 'Cards', phrasings: ['How do I change my  CREDIT card'] }) }));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('phrasing_taken');
    expect(refused.body.clashes[0].articleId).toBe('update-payment-method');
    expect(await server.desk.store.knowledge.get('cards')).toBeUndefined();
    const moved = await json(await post('/api/knowledge/articles', { slug: 'cards', movePhrasings: true, content: content({ title: 'Cards', phrasings: [taken] }) }));
    expect(moved.status).toBe(201);
    expect((await server.desk.store.knowledge.get('update-payment-method'))!.phrasings).not.toContain(taken);
  });

  it('two editors saving the same version: the second gets 409 with both versions, nothing is lost', async () => {
    const { body } = await json(await server.admin('/api/knowledge/articles/refund-policy'));
    const v = body.article.version as number;
    const base = { title: body.article.title, category: body.article.category, tags: body.article.tags, locale: body.article.locale, summary: body.article.summary, phrasings: body.article.phrasings };
    const [one, two] = await Promise.all([
      patch('/api/knowledge/articles/refund-policy', { version: v, content: { ...base, body: 'Version one' } }).then(json),
      patch('/api/knowledge/articles/refund-policy', { version: v, content: { ...base, body: 'Version two' } }).then(json),
    ]);
    const statuses = [one.status, two.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = one.status === 409 ? one : two;
    const winner = one.status === 200 ? one : two;
    expect(loser.body.current.body).toBe(winner.body.article.body);
    expect(loser.body.yours.body).not.toBe(winner.body.article.body);
    // Resolving: save yours over the current version.
    const resolved = await json(await patch('/api/knowledge/articles/refund-policy', { version: loser.body.current.version, content: loser.body.yours }));
    expect(resolved.status).toBe(200);
    const revisions = (await json(await server.admin('/api/knowledge/articles/refund-policy'))).body.revisions as { action: string; snapshot: { body: string } }[];
    expect(revisions.map((r) => r.snapshot.body)).toEqual(expect.arrayContaining(['Version one', 'Version two']));
  });

  it('restores any revision as a new revision', async () => {
    const { body } = await json(await server.admin('/api/knowledge/articles/refund-timing'));
    const original = body.article.body as string;
    const first = await json(await patch('/api/knowledge/articles/refund-timing', { version: body.article.version, content: { ...body.article, body: 'changed' } }));
    const revisions = (await json(await server.admin('/api/knowledge/articles/refund-timing'))).body.revisions as { id: number; action: string }[];
    const imported = revisions.find((r) => r.action === 'import')!;
    const restored = await json(await post('/api/knowledge/articles/refund-timing/restore', { version: first.body.article.version, revisionId: imported.id }));
    expect(restored.status).toBe(200);
    expect(restored.body.article.body).toBe(original);
    const after = (await json(await server.admin('/api/knowledge/articles/refund-timing'))).body.revisions as { action: string }[];
    expect(after[0]!.action).toBe('restore');
  });

  it('agents propose: a change to a live article is a proposal (202), publishing is refused (403); drafts they may save', async () => {
    const body = await agent.json<{ article: { version: number } & Record<string, unknown> }>('/api/knowledge/articles/free-trial');
    const proposed = await agent.request('/api/knowledge/articles/free-trial', { method: 'PATCH', json: { version: body.article.version, content: { ...body.article, body: 'Agent suggestion' } } });
    expect(proposed.status).toBe(202);
    expect((await server.desk.store.knowledge.get('free-trial'))!.body).not.toBe('Agent suggestion');
    const publish = await agent.request('/api/knowledge/articles/free-trial/state', { method: 'POST', json: { version: body.article.version, state: 'draft' } });
    expect(publish.status).toBe(403);
    const draft = await agent.request('/api/knowledge/articles', { method: 'POST', json: { slug: 'agent-draft', content: content({ phrasings: [] }) } });
    expect(draft.status).toBe(201);
    const live = await agent.request('/api/knowledge/articles', { method: 'POST', json: { slug: 'agent-live', publish: true, content: content({ phrasings: [] }) } });
    expect(live.status).toBe(403);
  });

  it('publishing while a rebuild runs is queued: requests collapse and the last state wins', async () => {
    const runtime = server.desk.knowledge;
    const store = server.desk.store;
    const a = await store.knowledge.get('pause-subscription');
    const rebuilds = [runtime.refresh()];
    // Three publishes while the first rebuild is under way: unpublish, publish, unpublish.
    let version = a!.version;
    for (const state of ['draft', 'published', 'draft'] as const) {
      const r = await store.knowledge.save('pause-subscription', version, { state }, { id: null, name: 'test' }, state === 'draft' ? 'unpublish' : 'publish');
      expect(r.ok).toBe(true);
      version = r.ok ? r.article.version : version;
      rebuilds.push(runtime.refresh());
    }
    // One rebuild was running; the three requests made during it became one more (shared promise).
    expect(new Set(rebuilds.slice(1)).size).toBe(1);
    await Promise.all(rebuilds);
    expect(runtime.version()).toBe(await store.knowledge.publishedVersion());
    expect(runtime.bundle().kb.articles.some((x) => x.id === 'pause-subscription')).toBe(false);
  });
});
