import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendAvailable } from '../support/stores';
import type { TestServer } from '../support/server';
import { SmtpSink } from './smtp-sink';
import { emailServer, mailer, SUPPORT, ticketOf, until } from './helpers';

/**
 * Issues 13 and 17: after an email conversation is resolved, the effort question goes by email
 * as one-click links — and when CSAT and NPS are switched on, so do they, each answered once.
 */
for (const backend of BACKENDS) {
  describe.runIf(await backendAvailable(backend))(`surveys by email (${backend.name})`, () => {
    let sink: SmtpSink;
    let server: TestServer;

    beforeAll(async () => {
      sink = await SmtpSink.start();
      server = await emailServer(sink, backend.name, { CSAT_ENABLED: 'true', NPS_ENABLED: 'true' });
    });
    afterAll(async () => {
      await server?.close();
      await sink?.close();
    });

    /** The link on the line of `score` in a survey email's plain text ("4: https://…"). */
    const linkFor = (text: string, score: number) => new URL(new RegExp(`^${score}(?: \\([^)]*\\))?: (\\S+)`, 'm').exec(text)![1]!).pathname;

    it('asks CES, then CSAT, then NPS by email; each click records its answer once', async () => {
      const info = await mailer(server).sendMail({ from: 'fay@example.com', to: SUPPORT, subject: 'Contract', text: 'Our legal team needs a signed DPA with clause 7.3 amended before renewal.' });
      const conversationId = await until(async () => {
        const e = await server.desk.store.email.get(info.messageId.slice(1, -1));
        return e?.outcome === 'stored' ? e.conversationId! : undefined;
      }, 'the mail stored');
      const ticket = await until(() => ticketOf(server, conversationId), 'the ticket');
      await server.admin(`/api/tickets/${ticket.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Signed copy attached to your account.' }) });
      expect((await server.admin(`/api/tickets/${ticket.id}/resolve`, { method: 'POST' })).status).toBe(200);

      const ces = await sink.waitFor(() => sink.to('fay@example.com').find((m) => m.text.includes('How easy was it')), 'the CES email');
      expect(await (await fetch(server.url + linkFor(ces.text, 6))).text()).toContain('You answered 6 out of 7.');
      const csat = await sink.waitFor(() => sink.to('fay@example.com').find((m) => /very dissatisfied, 5 = very satisfied/.test(m.text)), 'the CSAT email');
      for (const s of [1, 2, 3, 4, 5]) expect(csat.text).toMatch(new RegExp(`^${s}: http`, 'm'));
      expect(await (await fetch(server.url + linkFor(csat.text, 4))).text()).toContain('You answered 4 out of 5.');
      expect(await (await fetch(server.url + linkFor(csat.text, 1))).text()).toContain('We already have your answer');
      const nps = await sink.waitFor(() => sink.to('fay@example.com').find((m) => /0 = not at all likely, 10 = extremely likely/.test(m.text)), 'the NPS email');
      expect(await (await fetch(server.url + linkFor(nps.text, 9))).text()).toContain('You answered 9 out of 10.');

      const answers = (await server.desk.store.surveys.list({ from: '2000-01-01', to: '2100-01-01' })).filter((s) => s.conversationId === conversationId);
      expect(answers.find((s) => s.kind === 'ces')).toMatchObject({ score: 6, csat: 4 });
      const npsRows = await until(async () => {
        const rows = await (server.desk.store as unknown as { db: any }).db.selectFrom('surveys').select(['kind', 'score']).where('conversation_id', '=', conversationId).where('kind', '=', 'nps').execute();
        return rows.length ? rows : undefined;
      }, 'the NPS answer');
      expect(npsRows).toEqual([{ kind: 'nps', score: 9 }]);
    });
  });
}
