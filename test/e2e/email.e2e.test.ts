import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { launchChromium, watchPage } from '../support/browser';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';
import { linkAfter, mailer, REPLY_DOMAIN, SUPPORT, until } from '../email/helpers';
import { SmtpSink } from '../email/smtp-sink';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'email e2e password';

let server: TestServer;
let sink: SmtpSink;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sink = await SmtpSink.start();
  server = await startTestServer(
    { SMTP_URL: sink.url, EMAIL_FROM: `"Tidyflow Support" <${SUPPORT}>`, EMAIL_REPLY_DOMAIN: REPLY_DOMAIN, INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', EMAIL_BATCH_SECONDS: '0.3', OUTBOX_POLL_MS: '100' },
    { kbDir: SAMPLE_KB_DIR },
  );
  await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex Agent', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sink?.close();
});

/**
 * Issue 13 end to end in Chromium: the customer asks for a person, leaves an email and closes
 * the tab → the agent is told the reply will be emailed, and replies → the email arrives at
 * the SMTP sink → its "Continue in chat" link, opened in another browser, shows the widget on
 * the same conversation with the reply → the customer answers by email instead → it appears
 * in the console and in the widget, without the quoted history.
 */
describe('offline reply by email, in Chromium', () => {
  it('widget → email → console → Continue in chat → answer by email', { timeout: 90_000 }, async () => {
    // The customer, with nobody online: asks for a person and leaves an email.
    const customerContext = await browser.newContext();
    const customer = await customerContext.newPage();
    const customerWatch = watchPage(customer);
    await customer.goto(`${server.url}/`);
    await customer.getByRole('button', { name: 'Open support chat' }).click();
    const box = customer.getByRole('textbox', { name: 'Message' });
    await box.fill('My invoices disappeared from the billing page');
    await box.press('Enter');
    await customer.locator('.human').click();
    await customer.getByRole('textbox', { name: 'Email address' }).fill('ana.customer@example.com');
    await customer.getByRole('button', { name: 'Send email address' }).click();
    await customer.getByText(/reply to ana\.customer@example\.com/).first().waitFor();
    await customer.screenshot({ path: `${SHOTS}/email-widget-left-email.png` });
    expect(customerWatch.problems).toEqual([]);
    await customerContext.close(); // closes the tab

    // The agent: the console says what will happen, and the reply goes out by email.
    const agentContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const agent = await agentContext.newPage();
    const agentWatch = watchPage(agent);
    await agent.goto(`${server.url}/console`);
    await agent.getByTestId('login-email').fill('alex@tidyflow.test');
    await agent.getByTestId('login-password').fill(PASSWORD);
    await agent.getByTestId('login-submit').click();
    await agent.getByTestId('queue-item').first().click();
    await agent.getByTestId('reply-reach').getByText('The customer is offline: this reply will be emailed to ana.customer@example.com.').waitFor({ timeout: 10_000 });
    await agent.getByTestId('reply-input').fill('Hi Ana, I restored your invoices. They are back on the billing page.');
    await agent.getByTestId('reply-send').click();
    await agent.screenshot({ path: `${SHOTS}/email-console-offline.png`, fullPage: true });
    const mail = await sink.waitFor(() => sink.to('ana.customer@example.com')[0], 'the email at the SMTP sink');
    expect(mail.text).toContain('I restored your invoices');

    // Another browser opens "Continue in chat": the widget shows the same conversation with the reply.
    const elsewhereContext = await browser.newContext();
    const elsewhere = await elsewhereContext.newPage();
    const elsewhereWatch = watchPage(elsewhere);
    await elsewhere.goto(server.url + new URL(linkAfter(mail.text, 'Continue in chat')).pathname);
    await elsewhere.getByText('Hi Ana, I restored your invoices. They are back on the billing page.').waitFor({ timeout: 15_000 });
    await elsewhere.getByText('My invoices disappeared from the billing page').first().waitFor();
    await elsewhere.screenshot({ path: `${SHOTS}/email-continue-in-chat.png` });

    // The customer answers by email instead (Gmail layout): console and widget show it, unquoted.
    await mailer(server).sendMail({
      from: 'Ana Customer <ana.customer@example.com>',
      to: mail.parsed.replyTo!.value[0]!.address!,
      subject: `Re: ${mail.parsed.subject}`,
      inReplyTo: mail.messageId,
      references: [mail.messageId],
      text: `Yes, I can see them now. Thanks!\n\nOn Tue, Nov 24, 2026 at 5:01 PM Tidyflow Support <${SUPPORT}> wrote:\n> Hi Ana, I restored your invoices. They are back on the billing page.\n`,
    });
    await agent.getByTestId('transcript').getByText('Yes, I can see them now. Thanks!', { exact: true }).waitFor({ timeout: 15_000 });
    await elsewhere.getByText('Yes, I can see them now. Thanks!').waitFor({ timeout: 15_000 });
    expect(await agent.getByTestId('transcript').getByText('On Tue, Nov 24, 2026').count()).toBe(0);
    expect(await elsewhere.getByText('On Tue, Nov 24, 2026').count()).toBe(0);
    // The original is one click away in the console.
    await agent.getByText('Show the original email').click();
    await agent.getByTestId('original-email').getByText(/> Hi Ana, I restored/).waitFor();
    await agent.screenshot({ path: `${SHOTS}/email-console-answer.png`, fullPage: true });
    await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
    // The customer is back in the widget: the console says so, and nothing more was emailed.
    await agent.getByTestId('reply-input').fill('Great!');
    await agent.getByTestId('reply-send').click();
    await elsewhere.getByText('Great!').waitFor();
    expect(sink.to('ana.customer@example.com')).toHaveLength(1);

    expect(agentWatch.problems.filter((p) => !/401/.test(p))).toEqual([]);
    expect(elsewhereWatch.problems).toEqual([]);
    await elsewhereContext.close();
    await agentContext.close();
  });
});
