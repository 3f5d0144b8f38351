import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttachment } from '../../server/domain/attachments';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { kbDir: SAMPLE_KB_DIR });
});
afterAll(async () => {
  await server.close();
});

// The smallest real files of each kind: the type is read from these bytes, never from the name.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

async function escalatedVisitor(): Promise<{ visitor: WidgetClient; ticketId: string; conversationId: string }> {
  const visitor = new WidgetClient(server.url);
  await visitor.session();
  await visitor.connect();
  visitor.press({ kind: 'handoff' }, 'Talk to a person');
  const queued = await visitor.waitForMessage((m) => m.content.type === 'event' && m.content.event === 'escalated');
  const { tickets } = (await (await server.admin('/api/tickets?status=open')).json()) as { tickets: { id: string; conversationId: string; subject: string }[] };
  const ticket = tickets.find((t) => t.conversationId === queued.conversationId)!;
  return { visitor, ticketId: ticket.id, conversationId: queued.conversationId };
}

const upload = (path: string, data: Buffer, name: string, auth: string) =>
  fetch(`${server.url}${path}?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(data) });

describe('widget, console and help centre HTTP (issue 16)', () => {
  it('names a header-button ticket after the first real question', async () => {
    const { visitor, ticketId } = await escalatedVisitor();
    expect(((await (await server.admin(`/api/tickets/${ticketId}`)).json()) as { ticket: { subject: string } }).ticket.subject).toBe('Conversation with the bot');
    visitor.say('My   invoice shows the wrong VAT number');
    await visitor.waitFor((f) => f.type === 'ack');
    let subject = '';
    for (let i = 0; i < 50 && subject !== 'My invoice shows the wrong VAT number'; i++) {
      subject = ((await (await server.admin(`/api/tickets/${ticketId}`)).json()) as { ticket: { subject: string } }).ticket.subject;
      if (subject !== 'My invoice shows the wrong VAT number') await new Promise((r) => setTimeout(r, 50));
    }
    expect(subject).toBe('My invoice shows the wrong VAT number');
    // …and the ticket is found by words of its messages.
    const found = (await (await server.admin('/api/search/tickets?q=vat%20INVOICE')).json()) as { tickets: { id: string }[] };
    expect(found.tickets.map((t) => t.id)).toContain(ticketId);
    visitor.close();
  });

  it('takes images and PDFs both ways, checked by content, stored and served with safe headers', async () => {
    const { visitor, ticketId } = await escalatedVisitor();
    const bearer = `Bearer ${visitor.token}`;

    const img = await upload('/api/widget/attachments', PNG, 'screen shot.png', bearer);
    expect(img.status).toBe(201);
    const sent = ((await img.json()) as { message: { content: { text: string } } }).message;
    const att = parseAttachment(sent.content.text)!;
    expect(att).toMatchObject({ name: 'screen shot.png', kind: 'image' });
    await visitor.waitForMessage((m) => m.content.type === 'text' && m.content.text === sent.content.text);

    const got = await fetch(att.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="screen shot.png"/);
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${att.url}?download`)).headers.get('content-disposition')).toMatch(/^attachment;/);

    // A program renamed to .pdf, and a file over 10 MB, are refused with a reason.
    const disguised = await upload('/api/widget/attachments', EXE, 'invoice.pdf', bearer);
    expect(disguised.status).toBe(400);
    expect(((await disguised.json()) as { error: { message: string } }).error.message).toMatch(/Only images .* and PDF files/);
    const big = await upload('/api/widget/attachments', Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'big.png', bearer);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/up to 10\.0 MB/);
    expect((await upload('/api/widget/attachments', PNG, 'x.png', 'Bearer forged')).status).toBe(401);

    // An agent's PDF reaches the widget as a message with a download link.
    const pdf = await upload(`/api/tickets/${ticketId}/attachments`, PDF, 'Refund form.PDF', `Bearer ${'test-admin-token-0123456789abcdef'}`);
    expect(pdf.status).toBe(201);
    const reply = await visitor.waitForMessage((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text.includes('Refund form.pdf'));
    const pdfLink = parseAttachment((reply.content as { text: string }).text)!;
    expect(pdfLink.kind).toBe('pdf');
    const file = await fetch(pdfLink.url);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="Refund form.pdf"/);
    visitor.close();
  });

  it('serves branding to widgets and lets only admins change it', async () => {
    const before = (await (await fetch(`${server.url}/api/widget/config?key=demo`)).json()) as { branding: { brandColor: string } };
    expect(before.branding.brandColor).toBe('#1d4ed8');
    const bad = await server.admin('/api/settings/branding', { method: 'PUT', body: JSON.stringify({ ...before.branding, brandColor: 'teal' }) });
    expect(bad.status).toBe(400);
    const ok = await server.admin('/api/settings/branding', { method: 'PUT', body: JSON.stringify({ ...before.branding, brandColor: '#0f766e', teamName: 'Tidyflow', position: 'left' }) });
    expect(ok.status).toBe(200);
    const after = (await (await fetch(`${server.url}/api/widget/config?key=demo`)).json()) as { branding: { brandColor: string; position: string } };
    expect(after.branding).toMatchObject({ brandColor: '#0f766e', position: 'left' });
    expect((await fetch(`${server.url}/api/widget/config?key=nope`)).status).toBe(400);
  });

  it('answers unknown help pages with HTML, an empty search without "Results for", and a sitemap', async () => {
    const missing = await fetch(`${server.url}/help/articles/no-such-article`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
    expect(await missing.text()).toContain('Page not found');
    expect((await fetch(`${server.url}/help/nowhere/at/all`)).status).toBe(404);
    const empty = await (await fetch(`${server.url}/help/search?q=`)).text();
    expect(empty).not.toContain('Results for');
    const none = await (await fetch(`${server.url}/help/search?q=zzqqxx`)).text();
    expect(none).toContain('data-open-chat');
    const fr = await (await fetch(`${server.url}/help/articles/reinitialiser-mot-de-passe`)).text();
    expect(fr).toMatch(/<html lang="fr">/);
    expect(fr).toContain('Cet article vous a-t-il été utile ?');
    expect(fr).toMatch(/<link rel="canonical" href="http:\/\/127\.0\.0\.1:\d+\/help\/articles\/reinitialiser-mot-de-passe">/);
    expect(fr).toContain('<meta property="og:title" content="Réinitialiser votre mot de passe">');
    const map = await (await fetch(`${server.url}/help/sitemap.xml`)).text();
    expect(map).toContain('/help/articles/reset-password</loc>');
  });
});
