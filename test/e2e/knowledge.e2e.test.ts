import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { openStore } from '../../server/store/open';
import { type ServerProcess, spawnServer } from '../scale/cluster';
import { launchChromium, watchPage } from '../support/browser';
import { dropSchema, freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'knowledge e2e password';
const available = await postgresRequiredInCi('the knowledge end-to-end test');

/** The served knowledge version of an instance (readyz): waiting on state, not on time. */
async function servedVersion(server: ServerProcess): Promise<number> {
  const r = (await (await fetch(`${server.url}/readyz`)).json()) as { knowledgeVersion: number };
  return r.knowledgeVersion;
}
async function waitForVersion(server: ServerProcess, version: number, deadlineMs = 5_000): Promise<number> {
  const started = Date.now();
  while ((await servedVersion(server)) < version) {
    if (Date.now() - started > deadlineMs) throw new Error(`${server.label} did not serve knowledge version ${version} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

async function openChat(page: Page, url: string) {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: 'Open support chat' }).click();
  return page.getByRole('textbox', { name: 'Message' });
}

describe.skipIf(!available)('knowledge base in the product, two instances on one PostgreSQL (Chromium)', () => {
  const schema = freshSchema();
  let a: ServerProcess;
  let b: ServerProcess;
  let browser: Browser;
  let versionOf: () => Promise<number>;
  let closeStore: () => Promise<void>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const common = { knowledgeIndex: join(tmpdir(), 'unused-knowledge.json'), databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, startTimeoutMs: 60_000 };
    // Both start on an empty database: the first start imports the sample help centre once.
    [a, b] = await Promise.all([
      spawnServer({ label: 'A', dataDir: mkdtempSync(join(tmpdir(), 'kb-a-')), ...common }),
      spawnServer({ label: 'B', dataDir: mkdtempSync(join(tmpdir(), 'kb-b-')), ...common }),
    ]);
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    await store.agents.create({ email: 'eddie@tidyflow.test', name: 'Eddie Editor', role: 'editor', passwordHash: await hashPassword(PASSWORD) });
    versionOf = () => store.knowledge.publishedVersion();
    closeStore = () => store.close();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await closeStore?.();
    await dropSchema(schema);
  });

  async function editorPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${a.url}/console`);
    await page.getByTestId('login-email').fill('eddie@tidyflow.test');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();
    return page;
  }

  it('uncovered question → inbox → article created and published on A → the same question on B is answered with it, no restart', async () => {
    const customer = await (await browser.newContext()).newPage();
    const customerWatch = watchPage(customer);
    const box = await openChat(customer, b.url);
    const question = 'Can I import my projects from Trello?';
    await box.fill(question);
    await box.press('Enter');
    await customer.getByText(/rephrase|didn.t (quite )?(get|understand)|not sure/i).first().waitFor();
    expect(await customer.locator('.card').count()).toBe(0);

    const editor = await editorPage();
    const editorWatch = watchPage(editor);
    await editor.getByTestId('nav-improve').click();
    const item = editor.getByTestId('improve-item').filter({ hasText: question });
    await item.waitFor();
    await item.getByText(/not understood ×1/).waitFor();
    await editor.screenshot({ path: `${SHOTS}/improve-inbox.png`, fullPage: true });
    await item.getByTestId('improve-create-article').click();

    // The prefilled draft opens in the editor: the question is the title and the first phrasing.
    await editor.getByTestId('kb-editor').waitFor();
    expect(await editor.getByTestId('kb-phrasings').inputValue()).toBe(question);
    await editor.getByTestId('kb-title').fill('Import projects from Trello');
    await editor.getByTestId('kb-slug').fill('import-from-trello');
    await editor.getByTestId('kb-category').fill('integrations');
    await editor.getByTestId('kb-tags').fill('trello, import, migrate');
    await editor.getByTestId('kb-summary').fill('Settings → Import → Trello brings your boards over as projects.');
    await editor.getByTestId('kb-body').fill('## Import from Trello\n\nGo to **Settings → Import**, choose Trello and pick the boards.\n\n<script>window.__pwned = 1</script>');
    // The live preview is the help centre's sanitised rendering: the heading, not the script.
    await editor.getByTestId('kb-preview').getByRole('heading', { name: 'Import from Trello' }).waitFor();
    expect(await editor.getByTestId('kb-preview').innerHTML()).not.toContain('<script');
    await editor.screenshot({ path: `${SHOTS}/knowledge-editor.png`, fullPage: true });
    await editor.getByTestId('kb-publish').click();
    await editor.getByTestId('kb-notice').getByText(/Published/).waitFor();

    const version = await versionOf();
    const tookMs = await waitForVersion(b, version);
    console.log(`instance B served knowledge version ${version} ${tookMs} ms after the publish on A returned`);

    await box.fill(question);
    await box.press('Enter');
    const card = customer.locator('.card', { hasText: 'Import projects from Trello' });
    await card.waitFor();
    expect(await card.getByRole('link', { name: /Read article/ }).getAttribute('href')).toContain('/help/articles/import-from-trello');
    await customer.screenshot({ path: `${SHOTS}/knowledge-answered-on-b.png` });

    // The inbox records what was done and its effect.
    await editor.getByTestId('nav-improve').click();
    await editor.getByTestId('improve-tab-done').click();
    const done = editor.getByTestId('improve-item').filter({ hasText: question });
    await done.getByText(/asked 1 time since; answered 1/).waitFor();
    expect(customerWatch.problems).toEqual([]);
    expect(editorWatch.problems.filter((p) => !/401/.test(p))).toEqual([]);
  }, 120_000);

  it('a wrong answer → "add as a phrasing" of the right article → asked again on the other instance → the right answer', async () => {
    const customer = await (await browser.newContext()).newPage();
    const box = await openChat(customer, a.url);
    // Answered with the email article; the company name is under billing's company details.
    const question = 'how do I change my company name';
    await box.fill(question);
    await box.press('Enter');
    const wrong = customer.locator('.card', { hasText: 'Change your email address' });
    await wrong.waitFor();
    await wrong.getByRole('button', { name: 'No' }).click();

    const editor = await editorPage();
    await editor.getByTestId('nav-improve').click();
    const item = editor.getByTestId('improve-item').filter({ hasText: question });
    await item.getByText(/didn't help ×1/).waitFor();
    await item.getByTestId('improve-target').selectOption('vat-and-tax-ids');
    await item.getByTestId('improve-add-phrasing').click();
    await editor.getByTestId('improve-notice').waitFor();

    await waitForVersion(b, await versionOf());
    const other = await (await browser.newContext()).newPage();
    const box2 = await openChat(other, b.url);
    await box2.fill(question);
    await box2.press('Enter');
    await other.locator('.card', { hasText: 'VAT, GST and tax IDs' }).waitFor();
    expect(await other.locator('.card', { hasText: 'Change your email address' }).count()).toBe(0);
  }, 120_000);

  it('two editors save the same article: the second sees both versions and keeps one; clash warning; history diff and restore', async () => {
    const one = await editorPage();
    const two = await editorPage();
    for (const page of [one, two]) {
      await page.goto(`${a.url}/console/knowledge?article=refund-timing`);
      await page.getByTestId('kb-body').waitFor();
    }
    await one.getByTestId('kb-body').fill('## Refund timing\n\nFirst editor wrote this.');
    await one.getByTestId('kb-save').click();
    await one.getByTestId('kb-notice').getByText(/Saved/).waitFor();

    await two.getByTestId('kb-body').fill('## Refund timing\n\nSecond editor wrote this.');
    // A phrasing another article owns is flagged while typing, with that article named.
    const phrasings = await two.getByTestId('kb-phrasings').inputValue();
    await two.getByTestId('kb-phrasings').fill(`${phrasings}\nhow do I change my credit card`);
    await two.getByTestId('kb-clashes').getByText(/Update your payment method|payment/i).first().waitFor();
    await two.getByTestId('kb-phrasings').fill(phrasings);
    await two.getByTestId('kb-clashes').waitFor({ state: 'detached' });

    await two.getByTestId('kb-save').click();
    const conflict = two.getByTestId('kb-conflict');
    await conflict.waitFor();
    await conflict.getByText('First editor wrote this.').waitFor();
    await conflict.getByText('Second editor wrote this.').waitFor();
    await two.screenshot({ path: `${SHOTS}/knowledge-conflict.png`, fullPage: true });
    await two.getByTestId('kb-overwrite').click();
    await two.getByTestId('kb-notice').getByText(/Saved/).waitFor();
    expect((await (await fetch(`${a.url}/help/articles/refund-timing`)).text())).toContain('Second editor wrote this.');

    // History: compare the imported revision with the editor, then restore it.
    const imported = two.getByTestId('kb-revision').filter({ hasText: 'imported' });
    await imported.getByTestId('kb-revision-diff').click();
    await imported.getByTestId('kb-diff').waitFor();
    await imported.getByTestId('kb-restore').click();
    await two.getByTestId('kb-notice').getByText(/Restored/).waitFor();
    expect(await two.getByTestId('kb-body').inputValue()).not.toContain('Second editor wrote this.');
  }, 120_000);
});
