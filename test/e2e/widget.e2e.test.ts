import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_KB_DIR, SAMPLE_KB_DIR } from '../support/fixtures';
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
    const counts = await server.desk.store.surveys.articleFeedbackCounts({ from: '2000-01-01', to: '2999-01-01' });
    expect(counts.reduce((n, c) => n + c.helpful, 0)).toBeGreaterThanOrEqual(1);
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});

describe('help centre articles with HTML in their Markdown, in real Chromium', () => {
  let hostile: TestServer;
  beforeAll(async () => {
    // The fixture help centre plus one article whose author pasted hostile HTML.
    const dir = mkdtempSync(join(tmpdir(), 'answerdesk-hostile-kb-'));
    cpSync(FIXTURE_KB_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, 'articles', 'pasted-html.md'),
      [
        '---',
        'id: pasted-html',
        'title: Pasted formatting',
        'category: account',
        'tags: [formatting]',
        'summary: An article with HTML pasted into it.',
        '---',
        'Some **bold** text and a [safe link](https://example.com/ok).',
        '',
        '<script>window.__pwned = 1</script>',
        '<img src="/x.png" onerror="window.__pwned = 2" alt="picture">',
        '<a href="javascript:window.__pwned=3">click me</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<div onclick="window.__pwned=4" style="position:fixed;inset:0">overlay</div>',
        '<form action="https://evil.example/"><input name="password"></form>',
        '',
      ].join('\n'),
    );
    hostile = await startTestServer({}, { kbDir: dir });
  });
  afterAll(async () => {
    await hostile?.close();
  });

  it('keeps the formatting and drops scripts, handlers, javascript: links, frames and forms', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hostile.url}/help/articles/pasted-html`);
    const article = page.locator('article');
    await article.getByText('bold').first().waitFor();
    expect(await article.locator('strong', { hasText: 'bold' }).count()).toBe(1);
    expect(await article.locator('a[href="https://example.com/ok"]').count()).toBe(1);
    expect(await article.locator('img[alt="picture"]').count()).toBe(1);
    expect(await article.locator('script, iframe, form, input').count()).toBe(0);
    const handlers = await page.evaluate(() => [...document.querySelectorAll('article *')].flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on'))));
    expect(handlers).toEqual([]);
    const links = await article.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
    expect(await article.locator('[style]').count()).toBe(0);
    await article.getByText('click me').click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await context.close();
  });
});

describe('widget surveys in real Chromium (CSAT_ENABLED=true)', () => {
  let csatServer: TestServer;
  beforeAll(async () => {
    csatServer = await startTestServer({ CSAT_ENABLED: 'true' }, { kbDir: SAMPLE_KB_DIR });
  });
  afterAll(async () => {
    await csatServer?.close();
  });

  it('asks CES, then CSAT as five accessible buttons, and counts the answer', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${csatServer.url}/`);
    await page.getByRole('button', { name: 'Open support chat' }).click();
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('How do I reset my password?');
    await message.press('Enter');
    await page.locator('.card', { hasText: 'Reset your password' }).getByRole('button', { name: 'Yes' }).click();

    const ces = page.getByRole('group', { name: 'How easy was it to get your issue resolved?' });
    await ces.getByRole('button', { name: /^6\b/ }).click();
    await page.getByRole('button', { name: 'Send feedback' }).click();

    const csat = page.getByRole('group', { name: 'How satisfied are you with the help you received?' });
    await csat.waitFor();
    expect(await csat.getByRole('button').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    await csat.getByRole('button', { name: '5, very satisfied' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
    const five = csat.getByRole('button', { name: '5, very satisfied' });
    expect(await five.getAttribute('aria-pressed')).toBe('true');
    expect(await five.isDisabled()).toBe(true);

    const metrics = (await (await csatServer.admin('/api/metrics')).json()) as { summary: { csat: { count: number; average: number } } };
    expect(metrics.summary.csat).toMatchObject({ count: 1, average: 5 });
    expect(watch.problems).toEqual([]);
    await context.close();

    // The dashboard shows the CSAT tile next to CES.
    await csatServer.desk.store.agents.create({ email: 'lead@tidyflow.test', name: 'Lee Lead', role: 'admin', passwordHash: await hashPassword('csat e2e password') });
    const lead = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await lead.goto(`${csatServer.url}/console/dashboard`);
    await lead.getByTestId('login-email').fill('lead@tidyflow.test');
    await lead.getByTestId('login-password').fill('csat e2e password');
    await lead.getByTestId('login-submit').click();
    await lead.getByTestId('dashboard-kpi-csat-value').getByText('5.0', { exact: true }).waitFor();
    expect(await lead.getByTestId('dashboard-kpi-csat').textContent()).toContain('100% satisfied (4–5) · bot only 5.0 (100%) · with a person — · 1 answer');
    await lead.context().close();
  });
});
