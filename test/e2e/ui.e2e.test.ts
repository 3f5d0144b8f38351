import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { axeViolations, launchChromium, watchPage } from '../support/browser';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { gradientPng } from '../support/png';
import { SmtpSink } from '../email/smtp-sink';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 16 in real Chromium, at the three widths a new user tried: branding, Markdown and links
 * (HTML stays inert), attachments both ways (oversized and disguised files refused), agent
 * typing, insert-article, search, SLA order, the offline path without contradictions, the help
 * centre's chat, 404 and empty search; axe-core on every page; screenshots of each width.
 */
const SHOTS = 'test-results/screenshots';
const PASSWORD = 'ui e2e password 16';
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
  { width: 390, height: 844 },
] as const;

const PNG = gradientPng(240, 150);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);

let browser: Browser;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function expectNoAxe(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const size of WIDTHS) {
  describe(`widget, console and help centre at ${size.width}×${size.height}`, () => {
    let server: TestServer;
    let sink: SmtpSink;
    const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${size.width}-${name}.png` });
    const phone = size.width < 700;

    beforeAll(async () => {
      // Email on (a local sink as relay): the offline hand-off asks for an address only when a reply can reach it.
      sink = await SmtpSink.start();
      server = await startTestServer({ SMTP_URL: sink.url, EMAIL_FROM: '"Tidyflow Support" <support@tidyflow.test>', EMAIL_REPLY_DOMAIN: 'reply.tidyflow.test' }, { kbDir: SAMPLE_KB_DIR });
      await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex Agent', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
      await server.admin('/api/settings/branding', {
        method: 'PUT',
        body: JSON.stringify({ brandColor: '#0f766e', position: 'left', teamName: 'Tidyflow Support', greeting: 'Hi! Ask us anything about Tidyflow.', logoUrl: '', showAvatars: true, showPresence: true, helpCentreName: 'Tidyflow Help centre' }),
      });
    });
    afterAll(async () => {
      await server?.close();
      await sink?.close();
    });

    async function signIn(page: Page): Promise<void> {
      await page.goto(`${server.url}/console`);
      await page.getByTestId('login-email').fill('alex@tidyflow.test');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('logout').waitFor();
    }

    it('works end to end: offline hand-off, branding, Markdown, typing, attachments, articles, search, SLA order, axe', { timeout: 120_000 }, async () => {
      // --- The customer, while nobody is online: one coherent message per step. -----------
      const customerContext = await browser.newContext({ viewport: size, reducedMotion: 'reduce' });
      customerContext.setDefaultTimeout(10_000);
      const customer = await customerContext.newPage();
      const watch = watchPage(customer);
      await customer.goto(`${server.url}/`);
      const launcher = customer.getByRole('button', { name: 'Open support chat' });
      await launcher.waitFor();
      // Branding: the team's colour (readable text on it) and side of the page, from the console.
      expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
      const box = (await launcher.boundingBox())!;
      expect(box.x).toBeLessThan(size.width / 2);
      await shot(customer, 'widget-closed');
      await expectNoAxe(customer, 'widget closed');

      await launcher.click();
      const input = customer.getByRole('textbox', { name: 'Message' });
      await input.waitFor();
      await customer.getByRole('heading', { name: 'Tidyflow Support' }).waitFor();
      await customer.getByText('Hi! Ask us anything about Tidyflow.').waitFor();
      await customer.getByText(/away right now/).waitFor();
      await shot(customer, 'widget-open');
      await expectNoAxe(customer, 'widget open');

      await customer.getByRole('button', { name: 'Talk to a person' }).click();
      await customer.getByText("You're in the queue.", { exact: true }).waitFor();
      const emailBox = customer.getByRole('textbox', { name: 'Email address' });
      await emailBox.waitFor();
      const log = customer.getByRole('log', { name: 'Conversation' });
      const panelText = async () => (await customer.locator('.panel').innerText()).replace(/\s+/g, ' ');
      // No promises of "shortly"/"soon" while nobody is there, and the ask for an email once.
      expect(await panelText()).not.toMatch(/shortly|with you soon|Waiting for an agent/);
      expect((await panelText()).match(/Leave your email/g) ?? []).toHaveLength(1);
      await emailBox.fill('grace@navy.test');
      await customer.getByRole('button', { name: 'Send email address' }).click();
      await customer.getByText("We'll reply to grace@navy.test", { exact: true }).waitFor();
      await log.getByText(/Thanks — we'll reply to grace@navy.test/).waitFor();
      expect((await panelText()).match(/thank/gi) ?? []).toHaveLength(1);
      // The header now says where the reply goes; nothing asks for the email any more.
      expect(await customer.locator('.head').innerText()).not.toMatch(/Leave your email|away/);
      expect(await emailBox.count()).toBe(0);
      await shot(customer, 'widget-offline');

      // The first real question names the ticket, and stays inert when it is HTML.
      await input.fill('My invoice shows the wrong VAT number <img src=x onerror="window.__pwned=1">');
      await input.press('Enter');
      await log.getByText('<img src=x onerror="window.__pwned=1">', { exact: false }).waitFor();

      // --- The agent. --------------------------------------------------------------------
      const agentContext = await browser.newContext({ viewport: size, reducedMotion: 'reduce' });
      agentContext.setDefaultTimeout(10_000);
      const agent = await agentContext.newPage();
      await signIn(agent);
      const item = agent.getByTestId('queue-item').filter({ hasText: 'My invoice shows the wrong VAT number' });
      await item.waitFor();
      await shot(agent, 'console-queue');
      await expectNoAxe(agent, 'console queue');
      await item.click();
      const transcript = agent.getByTestId('transcript');
      await transcript.getByText(/My invoice shows the wrong VAT number/).waitFor();
      const reply = agent.getByTestId('reply-input');
      // Transcript and composer are on screen together (also at 1024×700 and on a phone).
      for (const el of [transcript, reply, agent.getByTestId('reply-send')]) {
        const b = (await el.boundingBox())!;
        expect(b.y + Math.min(b.height, 40)).toBeLessThanOrEqual(size.height);
        expect(b.height).toBeGreaterThan(20);
      }

      // Typing shows in the widget.
      await reply.pressSequentially('Hi Grace', { delay: 20 });
      await customer.getByText('Alex Agent is typing…').waitFor();
      await reply.fill('Hi Grace — **good news**: see https://tidyflow.test/billing/vat. <script>window.__pwned=2</script>');
      await agent.getByTestId('reply-send').click();
      await log.locator('strong', { hasText: 'good news' }).waitFor();
      const link = log.getByRole('link', { name: 'https://tidyflow.test/billing/vat' });
      expect(await link.getAttribute('href')).toBe('https://tidyflow.test/billing/vat');
      expect(await link.getAttribute('rel')).toContain('noopener');
      await log.getByText('<script>window.__pwned=2</script>', { exact: false }).waitFor();
      expect(await customer.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await transcript.locator('strong', { hasText: 'good news' }).waitFor();

      // Insert article: a card the customer sees in the widget.
      await agent.getByTestId('article-toggle').click();
      await agent.getByTestId('article-search').fill('VAT');
      await agent.getByTestId('article-item').filter({ hasText: 'VAT, GST and tax IDs' }).click();
      const card = log.locator('.card', { hasText: 'VAT, GST and tax IDs' });
      await card.waitFor();
      expect(await card.getByRole('link', { name: /Read article/ }).getAttribute('href')).toContain('/help/articles/');

      // Attachments, customer → agent: an image shows as a preview on both sides.
      const fileInput = customer.locator('input[type=file]');
      await fileInput.setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: PNG });
      await log.getByRole('img', { name: 'screenshot.png' }).waitFor();
      await transcript.getByRole('img', { name: 'screenshot.png' }).waitFor();
      // Oversized and disguised files are refused with a reason.
      await fileInput.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 1) });
      await customer.getByRole('alert').getByText(/up to 10 MB/).waitFor();
      await customer.getByRole('button', { name: 'Dismiss' }).click();
      await fileInput.setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: EXE });
      await customer.getByRole('alert').getByText(/Only images .* and PDF files/).waitFor();
      await customer.getByRole('button', { name: 'Dismiss' }).click();
      // Agent → customer: a PDF arrives as a download.
      await agent.getByTestId('attach-input').setInputFiles({ name: 'Refund form.pdf', mimeType: 'application/pdf', buffer: PDF });
      const download = log.getByRole('link', { name: /Download Refund form\.pdf/ });
      await download.waitFor();
      const res = await fetch(new URL((await download.getAttribute('href'))!, server.url));
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Refund form.pdf"/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await shot(customer, 'widget-conversation');
      await expectNoAxe(customer, 'widget with a conversation');
      await shot(agent, 'console-ticket');
      await expectNoAxe(agent, 'console ticket');

      // --- Search and SLA order. --------------------------------------------------------
      const other = await (await browser.newContext()).newPage();
      await other.goto(`${server.url}/`);
      await other.getByRole('button', { name: 'Open support chat' }).click();
      await other.getByRole('button', { name: 'Talk to a person' }).click();
      await other.getByRole('textbox', { name: 'Message' }).fill('Export to CSV is broken');
      await other.getByRole('textbox', { name: 'Message' }).press('Enter');
      await waitUntil(async () => ((await (await server.admin('/api/tickets?status=open,assigned')).json()) as { tickets: unknown[] }).tickets.length === 2, 'two tickets');
      const { tickets } = (await (await server.admin('/api/tickets?status=open,assigned')).json()) as { tickets: { id: string; subject: string }[] };
      const csv = tickets.find((t) => t.subject === 'Export to CSV is broken')!;
      // Make the newer ticket overdue: SLA order puts it on top.
      await (server.desk.store as unknown as { db: { updateTable(t: string): { set(v: object): { where(c: string, o: string, v: string): { execute(): Promise<unknown> } } } } }).db
        .updateTable('tickets')
        .set({ first_response_due_at: new Date(Date.now() - 10 * 60_000).toISOString() })
        .where('id', '=', csv.id)
        .execute();
      if (phone) await agent.getByTestId('back-to-queue').click();
      await agent.getByRole('button', { name: 'Refresh the queue' }).click();
      await waitUntil(async () => (await agent.getByTestId('queue-item').count()) === 2, 'two queue items');
      await waitUntil(async () => (await agent.getByTestId('queue-item').first().innerText()).includes('Export to CSV is broken'), 'the overdue ticket on top');
      expect(await agent.getByTestId('queue-item').first().getByTestId('sla').innerText()).toMatch(/SLA breached/);
      await agent.getByTestId('queue-sort').selectOption('newest');
      await agent.getByTestId('queue-sort').selectOption('sla');
      await agent.getByTestId('queue-search').fill('grace@navy');
      await waitUntil(async () => (await agent.getByTestId('queue-item').count()) === 1, 'one search result');
      expect(await agent.getByTestId('queue-item').innerText()).toContain('My invoice shows the wrong VAT number');
      // Escape leaves the search box (and clears it); then `?` is a command, not text.
      await agent.getByTestId('queue-search').press('Escape');
      await agent.keyboard.press('?');
      await agent.getByTestId('shortcuts-help').getByText('Next / previous ticket').waitFor();
      await expectNoAxe(agent, 'shortcuts sheet');
      await agent.keyboard.press('Escape');

      await agent.getByTestId('nav-dashboard').click();
      await agent.getByTestId('dashboard-kpi-conversations-value').waitFor();
      await shot(agent, 'console-dashboard');
      await expectNoAxe(agent, 'console dashboard');

      expect(watch.problems).toEqual([]);
      await other.context().close();
      await agentContext.close();
      await customerContext.close();
    });

    it.runIf(size.width === 1440)('settings: shipped canned responses are editable, branding changes reach the widget without a new snippet', async () => {
      const context = await browser.newContext({ viewport: size, reducedMotion: 'reduce' });
      context.setDefaultTimeout(10_000);
      const agent = await context.newPage();
      await signIn(agent);
      await agent.getByRole('button', { name: 'Settings' }).click();
      const settings = agent.getByTestId('settings');
      await settings.getByText('Looking into it', { exact: true }).waitFor();
      await expectNoAxe(agent, 'settings');
      await settings.getByRole('button', { name: 'Edit canned response Anything else?' }).click();
      await settings.locator('#canned-body').fill('Anything **else** I can do for you today?');
      await settings.getByTestId('canned-save').click();
      await settings.getByText('Anything **else** I can do for you today?').waitFor();

      await settings.getByTestId('brand-team').fill('Tidyflow Care');
      await settings.getByTestId('brand-color').evaluate((el: HTMLInputElement) => {
        el.value = '#7c3aed';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await settings.getByTestId('branding-save').click();
      await settings.getByText(/Saved\./).waitFor();

      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      const launcher = page.getByRole('button', { name: 'Open support chat' });
      await launcher.waitFor();
      expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(124, 58, 237)');
      await launcher.click();
      await page.getByRole('heading', { name: 'Tidyflow Care' }).waitFor();
      await context.close();
    });

    it('help centre: chat right where a search finds nothing, HTML 404, empty search, translated article, axe', async () => {
      const context = await browser.newContext({ viewport: size, reducedMotion: 'reduce' });
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(`${server.url}/help`);
      await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
      expect(await page.title()).toBe('Tidyflow Help centre');
      await page.getByRole('button', { name: 'Open support chat' }).waitFor();
      await shot(page, 'help-home');
      await expectNoAxe(page, 'help home');

      await page.getByRole('searchbox').first().fill('reset password');
      await page.getByRole('searchbox').first().press('Enter');
      await page.getByRole('link', { name: 'Reset your password' }).first().waitFor();
      await shot(page, 'help-search');
      await expectNoAxe(page, 'help search');

      await page.goto(`${server.url}/help/search?q=`);
      expect(await page.locator('h1').innerText()).toBe('Search');
      await page.goto(`${server.url}/help/search?q=zzqqxx`);
      await page.getByText('No articles matched “zzqqxx”.').waitFor();
      await page.getByRole('button', { name: 'Chat with us' }).click();
      await page.getByRole('textbox', { name: 'Message' }).waitFor();
      // The team's starting points fill the empty conversation.
      await page.getByRole('navigation', { name: 'Popular articles' }).getByRole('link').first().waitFor();
      await page.getByRole('button', { name: 'Close support chat' }).click();

      const missing = await page.goto(`${server.url}/help/articles/no-such-thing`);
      expect(missing?.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();

      await page.goto(`${server.url}/help/articles/reinitialiser-mot-de-passe`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await page.getByText('Cet article vous a-t-il été utile ?').waitFor();
      await page.goto(`${server.url}/help/articles/reset-password`);
      await shot(page, 'help-article');
      await expectNoAxe(page, 'help article');
      expect(watch.problems).toEqual([]);
      await context.close();
    });
  });
}
