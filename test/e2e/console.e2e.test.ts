import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/** Screenshots of the console and the dashboard land here (not committed). */
const SHOTS = 'test-results/screenshots';
const PASSWORD = 'console e2e password';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
  await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex Agent', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/console`);
  await page.getByTestId('login-email').fill('alex@tidyflow.test');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

/** The console logs the expected 401 of its first /api/auth/me before sign-in. */
const unexpected = (problems: string[]) => problems.filter((p) => !/401/.test(p));

describe('first run, as the README says: open the console, enter the set-up code from the log', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    fresh = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('refuses a wrong code, creates the first admin with the right one, and then only offers sign-in', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${fresh.url}/console`);
    await page.getByRole('heading', { name: 'Set up answerdesk' }).waitFor();
    expect(await page.getByText(/set-up code the server printed in its log/).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    const fill = async (code: string) => {
      await page.getByLabel('Set-up code').fill(code);
      await page.getByTestId('login-email').fill('lee@tidyflow.test');
      await page.getByTestId('login-name').fill('Lee');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
    };
    await fill('AAAA-BBBB-CCCC');
    await page.getByTestId('login-error').getByText(/Wrong set-up code/).waitFor();
    await page.screenshot({ path: `${SHOTS}/console-first-run.png` });
    await fill(fresh.desk.setupCode()!.toLowerCase());
    await page.getByTestId('logout').waitFor();
    expect((await fresh.desk.store.agents.byEmail('lee@tidyflow.test'))?.role).toBe('admin');
    // A second visitor finds sign-in only: set-up is over.
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${fresh.url}/console`);
    await other.getByRole('heading', { name: 'Sign in to answerdesk' }).waitFor();
    expect(await other.getByLabel('Set-up code').count()).toBe(0);
    expect(unexpected(watch.problems).filter((p) => !/403/.test(p))).toEqual([]);
    await context.close();
  });
});

describe('agent console and widget, two browser contexts', () => {
  it('escalate → agent sees it live → claims → replies → customer sees it → resolve → CES → dashboard counts', async () => {
    const agentContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const agent = await agentContext.newPage();
    const agentWatch = watchPage(agent);
    await signIn(agent);
    await agent.getByTestId('queue-empty').waitFor();

    const customerContext = await browser.newContext();
    const customer = await customerContext.newPage();
    const customerWatch = watchPage(customer);
    await customer.goto(`${server.url}/`);
    await customer.getByRole('button', { name: 'Open support chat' }).click();
    const box = customer.getByRole('textbox', { name: 'Message' });
    await box.fill('My card was declined when I tried to pay');
    await box.press('Enter');
    await customer.locator('.card').first().waitFor();
    await customer.locator('.human').click();

    // The escalation appears in the agent's queue without a reload.
    const item = agent.getByTestId('queue-item').first();
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    await agent.getByTestId('transcript').getByText('My card was declined when I tried to pay').first().waitFor();
    await agent.getByTestId('claim').click();
    await agent.getByTestId('ticket-assignee').getByText(/you/i).waitFor();
    await customer.getByText(/Alex Agent/).first().waitFor();

    await agent.getByTestId('reply-input').fill('Hi! I can see the failed payment — let me help.');
    await agent.getByTestId('reply-send').click();
    await customer.getByText('Hi! I can see the failed payment — let me help.').waitFor();

    // The customer answers; the agent sees it live.
    await box.fill('Thank you, it worked now!');
    await box.press('Enter');
    await agent.getByTestId('transcript').getByText('Thank you, it worked now!').waitFor();
    await agent.screenshot({ path: `${SHOTS}/console-ticket.png`, fullPage: true });
    const consoleViolations = await axeViolations(agent);
    expect(consoleViolations, JSON.stringify(consoleViolations, null, 2)).toEqual([]);

    await agent.getByTestId('resolve').click();
    await agent.getByTestId('ticket-status').getByText(/resolved/i).waitFor();

    // The CES question arrives in the widget; the customer answers 6 of 7.
    const ces = customer.getByRole('group', { name: 'How easy was it to get your issue resolved?' });
    await ces.waitFor();
    await ces.getByRole('button', { name: /^6\b/ }).click();
    const submit = customer.getByRole('button', { name: /^(Send|Submit)/ });
    if (await submit.count()) await submit.first().click();
    await customer.getByText(/Thank you for your feedback/).waitFor();

    // The dashboard counts it.
    await agent.getByTestId('nav-dashboard').click();
    await agent.getByTestId('dashboard-kpi-conversations-value').getByText('1', { exact: true }).waitFor();
    await agent.getByTestId('dashboard-kpi-ces-value').getByText(/6(\.0)?/).waitFor();
    await agent.getByTestId('chart-daily').waitFor();
    await agent.screenshot({ path: `${SHOTS}/console-dashboard.png`, fullPage: true });

    const metrics = (await (await server.admin('/api/metrics')).json()) as {
      summary: { conversations: number; escalationRate: number; ces: { count: number; withPersonAverage: number }; firstResponse: { medianMs: number } };
      agents: { name: string; replies: number; resolved: number }[];
    };
    expect(metrics.summary.conversations).toBe(1);
    expect(metrics.summary.escalationRate).toBe(1);
    expect(metrics.summary.ces).toMatchObject({ count: 1, withPersonAverage: 6 });
    expect(metrics.summary.firstResponse.medianMs).toBeGreaterThan(0);
    expect(metrics.agents.find((a) => a.name === 'Alex Agent')).toMatchObject({ replies: 1, resolved: 1 });

    expect(unexpected(agentWatch.problems)).toEqual([]);
    expect(customerWatch.problems).toEqual([]);
    await customerContext.close();
    await agentContext.close();
  });
});
