import { describe, expect, it } from 'vitest';
import { ConversationEngine, INITIAL_STATE, type Matcher } from '../../bot/engine';
import type { Candidate } from '../../bot/types';
import { KnowledgeMatcher } from '../../bot/matcher';
import { DEFAULT_THRESHOLDS } from '../../bot/thresholds';
import { dialogue } from '../support/dialogue';
import { bundleFor, FIXTURE_KB_DIR } from '../support/fixtures';

const bundle = bundleFor(FIXTURE_KB_DIR);
const matcher = new KnowledgeMatcher({ ...bundle, thresholds: DEFAULT_THRESHOLDS });
const engine = () => new ConversationEngine({ matcher, articleUrl: (id) => `/help/articles/${id}` });

describe('conversation engine', () => {
  it('answers, asks "did this help?", and counts "yes" as self-service resolution with a CES question', () => {
    const chat = dialogue(engine());
    chat.customer('I forgot my password, how can I reset it?').answersWithArticle('reset-password');
    chat.presses({ kind: 'feedback', helpful: true }).isResolvedByBot().asksCes();
    chat.presses({ kind: 'ces', score: 6 }).says(/thank you/i);
  });

  describe('optional CSAT after CES', () => {
    const withCsat = () => new ConversationEngine({ matcher, articleUrl: (id) => `/help/articles/${id}`, csat: true });
    const resolvedByBot = (engine: ConversationEngine) => {
      const chat = dialogue(engine);
      chat.customer('I forgot my password, how can I reset it?').answersWithArticle('reset-password');
      chat.presses({ kind: 'feedback', helpful: true }).isResolvedByBot().asksCes().doesNotAskCsat();
      return chat;
    };

    it('asks CSAT (1–5) once CES is answered, records it and thanks', () => {
      const chat = resolvedByBot(withCsat());
      const ces = chat.presses({ kind: 'ces', score: 6, comment: 'quick' }).asksCsat();
      // Asking is recorded too: the once-per-customer window counts it.
      expect(ces.turn.events).toEqual([{ type: 'ces', score: 6, comment: 'quick' }, { type: 'survey_asked', survey: 'csat' }]);
      expect(chat.state).toMatchObject({ awaitingCes: false, awaitingCsat: true });
      const csat = chat.presses({ kind: 'csat', score: 5 }).says(/thank you/i).doesNotAskCsat();
      expect(csat.turn.events).toEqual([{ type: 'csat', score: 5 }]);
      expect(chat.state.awaitingCsat).toBe(false);
      // A second press (double click, replay) counts nothing and says nothing.
      chat.presses({ kind: 'csat', score: 1 }).ignores();
      // Nor does a repeated CES answer ask CSAT again.
      chat.presses({ kind: 'ces', score: 7 }).says(/thank you/i).doesNotAskCsat();
    });

    it('asks CSAT after the CES an agent’s resolve asked for (state set by the server), and only then', () => {
      const asked = withCsat().handle({ channel: 'slack', conversationId: 'c', action: { kind: 'ces', score: 3 } }, { ...INITIAL_STATE, awaitingCes: true });
      expect(asked.replies).toEqual([{ type: 'csat', question: 'How satisfied are you with the help you received?', scale: 5 }]);
      expect(asked.state.awaitingCsat).toBe(true);
      // A CES press with no CES question asked is thanked as before and leads nowhere.
      dialogue(withCsat()).presses({ kind: 'ces', score: 3 }).says(/thank you/i).doesNotAskCsat();
    });

    it.each([0, 6, -1, 2.5, Number.NaN, '5' as unknown as number, undefined as unknown as number])('ignores the out-of-range CSAT score %s and still waits for a real one', (score) => {
      const chat = resolvedByBot(withCsat());
      chat.presses({ kind: 'ces', score: 6 }).asksCsat();
      chat.presses({ kind: 'csat', score }).ignores();
      expect(chat.state.awaitingCsat).toBe(true);
      chat.presses({ kind: 'csat', score: 4 }).says(/thank you/i);
    });

    it('ignores a CSAT answer nobody asked for', () => {
      dialogue(withCsat()).presses({ kind: 'csat', score: 5 }).ignores();
    });

    it('is off by default: CES is thanked as before and a CSAT press is ignored', () => {
      const chat = resolvedByBot(engine());
      const ces = chat.presses({ kind: 'ces', score: 6 }).says(/thank you/i).doesNotAskCsat();
      expect(ces.turn.replies).toEqual([{ type: 'text', text: 'Thank you for your feedback!' }]);
      expect(chat.state.awaitingCsat).toBeUndefined();
      chat.presses({ kind: 'csat', score: 5 }).ignores();
    });
  });

  it('treats a typed "no" like the No button and offers a person when nothing else fits', () => {
    const chat = dialogue(engine());
    chat.customer('how do I cancel my subscription').answersWithArticle('cancel-subscription');
    const t = chat.customer('no').offersPerson().doesNotAnswer();
    expect(t.turn.events).toContainEqual({ type: 'feedback', helpful: false, ref: { kind: 'article', id: 'cancel-subscription' } });
  });

  it('after a "no", offers the runner-up answer before offering a person', () => {
    // A scripted matcher: two close article candidates for any text.
    const candidate = (id: string, confidence: number): Candidate => ({
      ref: { kind: 'article', id },
      confidence,
      title: id,
      source: 'classifier',
      article: { id, title: id, category: 'c', tags: [], locale: 'en', summary: `${id} summary`, intents: [], body: '', headings: [] },
    });
    const ranked = [candidate('first', 0.8), candidate('second', 0.6)];
    const scripted: Matcher = {
      match: (text) => (/^(no|yes)$/.test(text) ? { action: 'fallback', candidates: [] } : { action: 'answer', candidate: ranked[0]!, candidates: ranked }),
      candidate: (ref) => ranked.find((c) => c.ref.id === ref.id),
    };
    const chat = dialogue(new ConversationEngine({ matcher: scripted, articleUrl: (id) => `/a/${id}` }));
    chat.customer('question').answersWithArticle('first');
    chat.presses({ kind: 'feedback', helpful: false }).answersWithArticle('second');
    chat.presses({ kind: 'feedback', helpful: false }).offersPerson().doesNotAnswer();
  });

  it('escalates at once when the customer asks for a person', () => {
    dialogue(engine()).customer('I want to talk to a human').escalates('customer_asked');
    dialogue(engine()).presses({ kind: 'handoff' }).escalates('customer_asked');
  });

  it('offers a person after two misses in a row', () => {
    const chat = dialogue(engine());
    chat.customer('what is the airspeed velocity of an unladen swallow').fallsBack();
    chat.customer('quantum chromodynamics lecture notes').fallsBack().offersPerson();
  });

  it('answers short-response intents without asking for feedback', () => {
    const t = dialogue(engine()).customer('what are your support hours?');
    expect(t.turn.replies[0]).toEqual({ type: 'text', text: 'Our team answers Monday to Friday, 9:00–18:00 CET.' });
  });

  it('lets the customer pick a clarification choice', () => {
    const chat = dialogue(engine());
    chat.presses({ kind: 'choose', candidate: { kind: 'article', id: 'api-tokens' } }).answersWithArticle('api-tokens');
  });

  it.each(['', '   ', '*', 'title:', '-password', '\u0000\u0007', '😀😀😀', 'مرحبا', 'x'.repeat(100_000), '<img src=x onerror=alert(1)>', 'error: 404'])(
    'gives a safe reply to hostile input %#',
    (text) => {
      const t = dialogue(engine()).customer(text);
      expect(t.turn.replies.length).toBeGreaterThan(0);
      for (const r of t.turn.replies) expect(JSON.stringify(r)).not.toContain('onerror');
    },
  );
});

describe('NPS after CES (the server passes which follow-ups are allowed)', () => {
  const engine = () => new ConversationEngine({ matcher: { match: () => ({ action: 'fallback', candidates: [] }), candidate: () => undefined }, articleUrl: (id) => `/a/${id}` });
  const afterCes = (surveys: { csat: boolean; nps: boolean }) =>
    engine().handle({ channel: 'web', conversationId: 'c', action: { kind: 'ces', score: 5 }, surveys }, { ...INITIAL_STATE, awaitingCes: true });

  it('asks NPS straight after CES when CSAT is not allowed, and counts one answer 0–10', () => {
    const asked = afterCes({ csat: false, nps: true });
    expect(asked.replies).toEqual([{ type: 'nps', question: 'How likely are you to recommend us to a friend or colleague?', scale: 10 }]);
    expect(asked.events).toContainEqual({ type: 'survey_asked', survey: 'nps' });
    const answered = engine().handle({ channel: 'web', conversationId: 'c', action: { kind: 'nps', score: 0 } }, asked.state);
    expect(answered.events).toEqual([{ type: 'nps', score: 0 }]);
    expect(engine().handle({ channel: 'web', conversationId: 'c', action: { kind: 'nps', score: 10 } }, answered.state).events).toEqual([]);
  });

  it('asks NPS after the CSAT answer when both are allowed, and neither when none is', () => {
    const csat = afterCes({ csat: true, nps: true });
    expect(csat.replies.map((r) => r.type)).toEqual(['csat']);
    const next = engine().handle({ channel: 'web', conversationId: 'c', action: { kind: 'csat', score: 4 } }, csat.state);
    expect(next.replies.map((r) => r.type)).toEqual(['nps']);
    expect(afterCes({ csat: false, nps: false }).replies.map((r) => r.type)).toEqual(['text']);
  });
});
