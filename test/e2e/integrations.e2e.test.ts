import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { ContractClient } from '../support/api-contract';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server';
import { WebhookReceiver } from '../support/webhook-receiver';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'integrations e2e password';

let server: TestServer;
let browser: Browser;
let receiver: WebhookReceiver;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  receiver = await new WebhookReceiver().start();
  server = await startTestServer({ WEBHOOKS_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '100' });
  await server.desk.store.agents.create({ email: 'ada@tidyflow.test', name: 'Ada Admin', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
});

describe('console: integrations settings', () => {
  it('creates an API key (shown once) that works, revokes it, subscribes a webhook and redelivers from its log', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/console`);
    await page.getByTestId('login-email').fill('ada@tidyflow.test');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('open-settings').click();

    const keys = page.getByTestId('api-keys');
    await keys.getByLabel('Name').fill('CRM sync');
    await keys.getByRole('button', { name: 'Create API key' }).click();
    const secret = (await keys.getByTestId('once-secret').locator('code').textContent())!;
    expect(secret).toMatch(/^ak_/);
    const withKey = new ContractClient(server.url, secret);
    expect((await withKey.get('/categories')).status).toBe(200);

    const hooks = page.getByTestId('webhooks');
    await hooks.getByLabel('URL').fill(receiver.url);
    await hooks.getByText('message.created').click();
    await hooks.getByRole('button', { name: 'Add webhook' }).click();
    receiver.secrets = [(await hooks.getByTestId('once-secret').locator('code').textContent())!];

    // Something happens: a conversation opened through the API (the key above is read-only: use the legacy token).
    const writer = new ContractClient(server.url, ADMIN_TOKEN);
    const { customer } = (await writer.post('/customers/identify', { externalId: 'e2e' })).body;
    expect((await writer.post('/conversations', { customerId: customer.id, text: 'How do I reset my password?' })).status).toBe(201);
    await receiver.until('a signed delivery', () => receiver.ids('message.created').size > 0);

    await hooks.getByRole('button', { name: 'Delivery log' }).click();
    const log = hooks.getByTestId('delivery-log');
    await log.getByText('200').first().waitFor();
    const before = receiver.received.length;
    await log.getByRole('button', { name: /^Redeliver/ }).first().click();
    await receiver.until('the redelivery', () => receiver.received.length > before);
    await page.screenshot({ path: `${SHOTS}/console-integrations.png`, fullPage: true });
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    page.once('dialog', (d) => void d.accept());
    await keys.getByRole('button', { name: 'Revoke API key CRM sync' }).click();
    await keys.getByText('revoked').waitFor();
    expect((await withKey.get('/categories')).status).toBe(401);

    // A subscription turned off by failures: admins see a notice on every page.
    const [sub] = await server.desk.store.webhooks.list();
    await server.desk.store.webhooks.disable(sub!.id, 'every delivery failed since yesterday (last: HTTP 500)');
    await page.reload();
    const notice = page.getByTestId('webhook-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(receiver.url);
    await page.screenshot({ path: `${SHOTS}/console-webhook-notice.png` });
    expect(watch.problems.filter((p) => !/401/.test(p))).toEqual([]);
    await context.close();
  });
});
