import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('widget in real Chromium', () => {
  it('answers from the help centre, escalates, survives a reload, keeps HTML inert, and isolates visitors', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/`);

    // What loads before the first click is only the loader; the panel comes on demand.
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('How do I reset my password?');
    await message.press('Enter');

    const card = page.locator('.card', { hasText: 'Reset your password' });
    await card.waitFor();
    expect(await card.getByRole('link', { name: /Read article/ }).getAttribute('href')).toContain('/help/articles/reset-password');

    await card.getByRole('button', { name: 'No' }).click();
    await page.locator('.human').click();
    await page.getByText(/waiting for|in the queue|queue/i).first().waitFor();

    // The ticket is in the queue API with the transcript.
    let tickets: { id: string; subject: string; status: string }[] = [];
    for (let i = 0; i < 50 && tickets.length === 0; i++) {
      tickets = ((await (await server.admin('/api/tickets?status=open')).json()) as { tickets: typeof tickets }).tickets;
      if (tickets.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.subject).toBe('How do I reset my password?');

    // Accessibility of the demo page with the open widget in its escalated state.
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    // Hostile text is shown as text and never runs.
    await message.fill('<img src=x onerror="window.__pwned=1">');
    await message.press('Enter');
    await page.getByText('<img src=x onerror="window.__pwned=1">').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    // Reloading keeps the conversation (token and position in localStorage, history from the server).
    await page.reload();
    const panelOpen = await page.getByRole('textbox', { name: 'Message' }).isVisible().catch(() => false);
    if (!panelOpen) await page.getByRole('button', { name: 'Open support chat' }).click();
    await page.locator('.card', { hasText: 'Reset your password' }).waitFor();
    await page.getByText('<img src=x onerror="window.__pwned=1">').waitFor();

    // An agent reply arrives live in the page.
    await server.admin(`/api/tickets/${tickets[0]!.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Hello from the support team!' }) });
    await page.getByText('Hello from the support team!').waitFor();

    // A second visitor has their own token and cannot read the first conversation with it.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${server.url}/`);
    await otherPage.getByRole('button', { name: 'Open support chat' }).click();
    await otherPage.getByRole('textbox', { name: 'Message' }).waitFor();
    const otherToken = await otherPage.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith(':token'))?.[1]);
    expect(otherToken).toBeTruthy();
    const history = (await (await fetch(`${server.url}/api/widget/messages`, { headers: { authorization: `Bearer ${otherToken}` } })).json()) as {
      messages: unknown[];
    };
    expect(history.messages).toEqual([]);
    expect(await otherPage.getByText('How do I reset my password?').count()).toBe(0);

    expect(watch.problems).toEqual([]);
    await other.close();
    await context.close();
  });

  it('serves an accessible help centre with sanitised articles and stored feedback', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/help`);
    await page.getByRole('searchbox').fill('refund');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: /refund/i }).first().click();
    await page.getByText('Was this article helpful?').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thanks for your feedback!').waitFor();
    const counts = await server.desk.store.articleFeedbackCounts({ from: '2000-01-01', to: '2999-01-01' });
    expect(counts.reduce((n, c) => n + c.helpful, 0)).toBeGreaterThanOrEqual(1);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
