import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/types';
import { actionSchema } from '../../server/domain/action-schema';
import { decodeButtonValue, renderReply as slackReply } from '../../server/channels/slack/render';
import { decodeSubmit, renderReply as teamsReply } from '../../server/channels/teams/render';
import type { Metrics } from '../../server/metrics/dashboard';
import { startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

/**
 * Surveys after a resolution: CES always; CSAT and NPS switched on in the console settings,
 * asked at most once per conversation and once per customer in N days, drawn by every channel.
 */
let server: TestServer;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function selfServe(visitor: WidgetClient): Promise<void> {
  const before = visitor.messages().length;
  visitor.say('I forgot my password');
  await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article' && visitor.messages().indexOf(m) >= before);
  visitor.press({ kind: 'feedback', helpful: true, articleId: 'reset-password' }, 'Yes, this helped');
  await visitor.waitFor((f) => f.type === 'message' && f.message.author === 'bot' && f.message.content.type === 'ces' && visitor.messages().indexOf(f.message) >= before, 5000);
}

const botReplies = (visitor: WidgetClient, type: string) => visitor.messages().filter((m) => m.author === 'bot' && m.content.type === type);

describe('survey settings and the NPS question', () => {
  it('switches CSAT and NPS on in the settings (bad values are a 400)', async () => {
    expect(await (await server.admin('/api/settings/surveys')).json()).toEqual({ csat: false, nps: false, customerIntervalDays: 30 });
    const bad = await server.admin('/api/settings/surveys', { method: 'PATCH', body: JSON.stringify({ nps: 'yes' }) });
    expect(bad.status).toBe(400);
    const unknown = await server.admin('/api/settings/surveys', { method: 'PATCH', body: JSON.stringify({ nps: true, extra: 1 }) });
    expect(unknown.status).toBe(400);
    const ok = await server.admin('/api/settings/surveys', { method: 'PATCH', body: JSON.stringify({ csat: true, nps: true, customerIntervalDays: 14 }) });
    expect(await ok.json()).toEqual({ csat: true, nps: true, customerIntervalDays: 14 });
  });

  it('asks CES, then CSAT, then NPS; counts one NPS answer per conversation; the next conversation within N days gets CES only', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session({ name: 'Nia' });
    await visitor.connect();
    await selfServe(visitor);
    visitor.press({ kind: 'ces', score: 6 }, '6 out of 7');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'csat');
    visitor.press({ kind: 'csat', score: 4 }, '4 out of 5');
    const nps = await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'nps');
    expect(nps.content).toEqual({ type: 'nps', question: 'How likely are you to recommend us to a friend or colleague?', scale: 10 });
    // 11 is not a score; 0–10 are.
    visitor.press({ kind: 'nps', score: 11 } as never, 'bad');
    await visitor.waitFor((f) => f.type === 'error' && f.code === 'bad_frame');
    visitor.press({ kind: 'nps', score: 9 }, '9 out of 10');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    visitor.press({ kind: 'nps', score: 0 }, '0 out of 10');
    await visitor.waitForMessage((m) => m.author === 'customer' && m.content.type === 'action' && m.content.label === '0 out of 10');

    // The same customer comes back and is helped again: CES, but no CSAT or NPS this time.
    const firstConversation = visitor.conversationId;
    await selfServe(visitor);
    expect(visitor.conversationId).not.toBe(firstConversation);
    visitor.press({ kind: 'ces', score: 7 }, '7 out of 7');
    await visitor.waitFor((f) => f.type === 'message' && f.message.author === 'bot' && f.message.content.type === 'text' && f.message.conversationId === visitor.conversationId && /thank you/i.test(f.message.content.text));
    expect(botReplies(visitor, 'csat')).toHaveLength(1);
    expect(botReplies(visitor, 'nps')).toHaveLength(1);

    const m = (await (await server.admin(`/api/metrics?from=${today}&to=${today}`)).json()) as Metrics;
    expect(m.summary.nps).toMatchObject({ enabled: true, count: 1, score: 100, promoters: 1, detractors: 0 });
    expect(m.summary.csat).toMatchObject({ count: 1, average: 4 });
    expect(m.summary.ces.count).toBe(2);
    visitor.close();
  });

  it('draws the NPS question as eleven buttons in Slack and Teams, whose presses come back as valid actions', () => {
    const reply: Reply = { type: 'nps', question: 'How likely are you to recommend us to a friend or colleague?', scale: 10 };
    const slack = slackReply(reply, { conversationId: 'c1', articleUrl: (id) => `https://x.test/${id}` });
    const buttons = slack.blocks!.flatMap((b) => ((b as { elements?: { type: string; value?: string }[] }).elements ?? []).filter((e) => e.type === 'button'));
    expect(buttons).toHaveLength(11);
    // decodeButtonValue validates with the one action schema, as a real press would be.
    const slackActions = buttons.map((b) => decodeButtonValue(b.value)?.a);
    expect(slackActions.map((a) => a && actionSchema.parse(a))).toEqual(Array.from({ length: 11 }, (_, score) => ({ kind: 'nps', score })));

    const teams = teamsReply(reply, { conversationId: 'c1', articleUrl: (id) => `https://x.test/${id}` });
    expect(teams.kind).toBe('card');
    const submits = JSON.stringify(teams).match(/"Action\.Submit"/g) ?? [];
    expect(submits).toHaveLength(11);
    const card = (teams as { card: { body: { type: string; actions?: { data: unknown }[] }[] } }).card;
    const teamsActions = card.body.flatMap((b) => b.actions ?? []).map((a) => decodeSubmit(a.data)?.action);
    expect(teamsActions).toEqual(Array.from({ length: 11 }, (_, score) => ({ kind: 'nps', score })));
  });
});
