import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyChunks, historyCustomers } from '../../bench/metrics-history';
import { hashPassword } from '../../server/auth/passwords';
import { DEFINITIONS } from '../../server/domain/resolution';
import type { Metrics } from '../../server/metrics/dashboard';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { dbOf, seedConversations, seedCustomers } from '../support/history';
import { startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

/**
 * The team lead's dashboard in Chromium: every tile explains itself in one click (the text the
 * server computes by), a number opens the conversations behind it (paged), a row opens the
 * transcript, and a segment filter changes the numbers as the API says.
 */
const SHOTS = 'test-results/screenshots';
const PASSWORD = 'dashboard e2e password';

let server: TestServer;
let browser: Browser;
let visitor: WidgetClient;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
  await server.desk.store.agents.create({ email: 'lee@tidyflow.test', name: 'Lee Lead', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  // 120 conversations of the last six days (a deterministic history), plus one live one.
  const end = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  const shape = { conversations: 120, days: 6, end, customers: 30, seed: 5 };
  await seedCustomers(dbOf(server.desk.store), historyCustomers(shape));
  for (const chunk of historyChunks(shape)) await seedConversations(dbOf(server.desk.store), chunk);
  await server.desk.store.metrics.rebuild();
  visitor = new WidgetClient(server.url);
  await visitor.session({ name: 'Grace', attributes: { plan: 'Business' } });
  await visitor.connect();
  visitor.say('How do I reset my password?');
  await visitor.waitForMessage((m) => m.author === 'bot');
  browser = await launchChromium();
});
afterAll(async () => {
  visitor?.close();
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/console/dashboard`);
  await page.getByTestId('login-email').fill('lee@tidyflow.test');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

const api = async (query: string) => (await (await server.admin(`/api/metrics?${query}`)).json()) as Metrics;

describe('dashboard in Chromium', () => {
  it('shows each definition in one click, drills down (paged) to the transcript, and filters by segment', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(page);
    const expected = await api('');
    const total = expected.summary.conversations;
    expect(total).toBe(121);
    await page.getByTestId('dashboard-kpi-conversations-value').getByText(String(total), { exact: true }).waitFor();

    // Definitions, one click away, the same text the server computes by.
    for (const [testId, key] of [
      ['dashboard-kpi-selfservice', 'selfService'],
      ['dashboard-kpi-fcr', 'fcr'],
      ['dashboard-kpi-abandoned', 'abandoned'],
    ] as const) {
      await page.getByTestId(`${testId}-info`).click();
      expect(await page.getByTestId(`${testId}-definition`).textContent()).toBe(DEFINITIONS[key].text);
    }
    await page.getByTestId('chart-daily-info').click();
    await page.getByTestId('chart-daily-definition').getByText(DEFINITIONS.conversations.text).waitFor();
    // Self-service shows both parts; their sum over conversations is the rate shown.
    const { confirmed, assumed } = expected.summary.outcomes;
    await page.getByTestId('dashboard-kpi-selfservice-part-confirmed').getByText(String(confirmed), { exact: true }).waitFor();
    await page.getByTestId('dashboard-kpi-selfservice-part-assumed').getByText(String(assumed), { exact: true }).waitFor();
    await page.getByTestId('dashboard-kpi-selfservice-value').getByText(`${Math.round(((confirmed + assumed) / total) * 100)}%`).waitFor();
    await page.getByTestId('dashboard-kpi-conversations-change').waitFor();

    // Clicking a number lists the conversations behind it, 50 a page.
    await page.getByTestId('dashboard-kpi-conversations-value').click();
    const drill = page.getByTestId('drill-down');
    await drill.getByText(`${total} conversations`).waitFor();
    expect(await drill.getByTestId('drill-row').count()).toBe(50);
    await drill.getByTestId('drill-position').getByText(`1–50 of ${total}`).waitFor();
    await drill.getByTestId('drill-next').click();
    await drill.getByTestId('drill-position').getByText(`51–100 of ${total}`).waitFor();
    await drill.getByTestId('drill-prev').click();
    await drill.getByTestId('drill-position').getByText(`1–50 of ${total}`).waitFor();
    // The live conversation is the newest: first row; it opens its transcript.
    const first = drill.locator(`[data-conversation="${visitor.conversationId}"]`);
    expect(await drill.getByTestId('drill-row').first().getAttribute('data-conversation')).toBe(visitor.conversationId);
    await first.getByTestId('drill-open').click();
    const transcript = page.getByTestId('drill-transcript');
    await transcript.getByText('How do I reset my password?').waitFor();
    await transcript.getByText(/plan=Business/).waitFor();
    await page.screenshot({ path: `${SHOTS}/dashboard-transcript.png` });
    await page.getByTestId('transcript-close').click();

    // A part of a tile drills down too: the assumed resolutions.
    await page.getByTestId('dashboard-kpi-selfservice-part-assumed').click();
    await drill.getByText(`${DEFINITIONS.assumed.label}: ${assumed} conversations`).waitFor();
    expect(await drill.getByTestId('drill-row').count()).toBe(Math.min(50, assumed));
    await page.screenshot({ path: `${SHOTS}/dashboard-drilldown.png`, fullPage: true });
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    // A segment: Slack only; the numbers follow the API's.
    await page.getByTestId('dashboard-channel').selectOption('slack');
    const slack = await api('channel=slack');
    await page.getByTestId('dashboard-kpi-conversations-value').getByText(String(slack.summary.conversations), { exact: true }).waitFor();
    await drill.getByText(`${DEFINITIONS.assumed.label}: ${slack.summary.outcomes.assumed} conversation`).waitFor();
    await page.getByTestId('dashboard-channel').selectOption('');
    await page.getByTestId('dashboard-attribute').fill('plan=Business');
    await page.getByTestId('dashboard-attribute').press('Enter');
    const business = await api('attr=plan%3DBusiness');
    await page.getByTestId('dashboard-kpi-conversations-value').getByText(String(business.summary.conversations), { exact: true }).waitFor();
    await page.screenshot({ path: `${SHOTS}/dashboard-segment.png`, fullPage: true });

    expect(watch.problems.filter((p) => !/401/.test(p))).toEqual([]);
    await context.close();
  });
});

describe('NPS in the widget (NPS_ENABLED=true)', () => {
  let npsServer: TestServer;
  beforeAll(async () => {
    npsServer = await startTestServer({ NPS_ENABLED: 'true' }, { kbDir: SAMPLE_KB_DIR });
  });
  afterAll(async () => {
    await npsServer?.close();
  });

  it('asks NPS after CES as eleven accessible buttons 0–10, and counts the answer', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${npsServer.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('How do I reset my password?');
    await message.press('Enter');
    await page.locator('.card', { hasText: 'Reset your password' }).getByRole('button', { name: 'Yes' }).click();
    const ces = page.getByRole('group', { name: 'How easy was it to get your issue resolved?' });
    await ces.getByRole('button', { name: /^6\b/ }).click();
    await page.getByRole('button', { name: 'Send feedback' }).click();

    const nps = page.getByRole('group', { name: 'How likely are you to recommend us to a friend or colleague?' });
    await nps.waitFor();
    expect(await nps.getByRole('button').allTextContents()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await nps.getByRole('button', { name: '9', exact: true }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
    await page.screenshot({ path: `${SHOTS}/widget-nps.png` });
    const metrics = (await (await npsServer.admin('/api/metrics')).json()) as Metrics;
    expect(metrics.summary.nps).toMatchObject({ count: 1, score: 100, promoters: 1 });
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
