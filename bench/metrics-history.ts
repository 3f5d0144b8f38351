import { rng } from '../bot/nlu/random';
import type { SeedConversation, SeedCustomer, SeedEvent } from '../test/support/history';

/**
 * A deterministic support history for the metrics bench: `conversations` conversations over
 * `days` days ending at `end`, about ten events each (a million for 100,000), with the mix a
 * busy team sees: confirmed, assumed and abandoned bot conversations, escalations with agent
 * work and tickets, reopenings, repeat customers across channels, CES/CSAT/NPS answers.
 */
export interface HistoryShape {
  conversations: number;
  days: number;
  end: Date;
  customers: number;
  seed?: number;
}

const CHANNELS = ['web', 'web', 'web', 'slack', 'msteams'] as const;
const PLANS = ['Free', 'Pro', 'Business', 'Enterprise'];
const LANGUAGES = ['fr', 'de', 'es'];
const AGENTS = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
const ARTICLES = Array.from({ length: 55 }, (_, i) => `article-${i}`);

export function historyCustomers(shape: HistoryShape): SeedCustomer[] {
  const random = rng((shape.seed ?? 17) + 1);
  return Array.from({ length: shape.customers }, (_, i) => ({
    id: `cust-${i}`,
    channel: CHANNELS[i % CHANNELS.length]!,
    email: i % 4 === 0 ? `person-${Math.floor(i / 8)}@example.com` : undefined,
    attributes: { plan: PLANS[Math.floor(random() * PLANS.length)]!, seats: 1 + Math.floor(random() * 200) },
  }));
}

/** Conversations in chunks (to insert as they are made: memory stays flat). */
export function* historyChunks(shape: HistoryShape, chunk = 2000): Generator<SeedConversation[]> {
  const random = rng(shape.seed ?? 17);
  const span = shape.days * 86_400_000;
  const start = shape.end.getTime() - span;
  let batch: SeedConversation[] = [];
  for (let i = 0; i < shape.conversations; i++) {
    // Spread evenly over the range (ordered), with jitter: ids and times grow together, as in life.
    const t0 = start + Math.floor(((i + random()) / shape.conversations) * span);
    const iso = (offsetMs: number) => new Date(t0 + offsetMs).toISOString();
    const cust = Math.floor(random() * shape.customers);
    const channel = CHANNELS[cust % CHANNELS.length]!;
    const article = ARTICLES[Math.floor(random() * random() * ARTICLES.length)]!;
    const events: SeedEvent[] = [{ type: 'conversation_started', at: iso(0) }, { type: 'customer_message', at: iso(0) }];
    // 0–2 rounds of "did you mean…?" first (about ten events per conversation on average).
    for (let k = Math.floor(random() * 3); k > 0; k--) events.push({ type: 'bot_clarified', at: iso(200), data: { refs: [] } }, { type: 'customer_message', at: iso(500) });
    const answer = (ms: number) => events.push({ type: 'bot_answered', at: iso(ms), data: { ref: { kind: 'article', id: article }, confidence: 0.7, text: 'question' } });
    const roll = random();
    const conv: SeedConversation = { id: `conv-${i}`, customer: `cust-${cust}`, channel, state: 'resolved', startedAt: iso(0), updatedAt: iso(60_000), events };
    if (roll < 0.3) {
      // Confirmed: answered, a follow-up, "yes, this helped".
      answer(1000);
      events.push({ type: 'customer_message', at: iso(30_000) }, { type: 'bot_answered', at: iso(31_000), data: { ref: { kind: 'article', id: article } } });
      events.push({ type: 'bot_feedback', at: iso(60_000), data: { helpful: true } }, { type: 'resolved', at: iso(60_000), data: { by: 'bot' } });
      events.push({ type: 'customer_message', at: iso(70_000) }, { type: 'ces_answered', at: iso(70_000) });
      conv.ces = { score: 4 + Math.floor(random() * 4), humanInvolved: false, ...(random() < 0.5 ? { csat: 3 + Math.floor(random() * 3) } : {}) };
      if (random() < 0.3) conv.nps = Math.floor(random() * 11);
    } else if (roll < 0.6) {
      // Assumed: answered, read, left; closed by the idle job.
      answer(1000);
      events.push({ type: 'customer_message', at: iso(20_000) }, { type: 'bot_answered', at: iso(21_000), data: { ref: { kind: 'article', id: article } } });
      events.push({ type: 'auto_closed', at: iso(1_800_000), data: { outcome: 'assumed', by: 'bot' } });
    } else if (roll < 0.85) {
      // Escalated: the bot could not help; an agent claims, answers, resolves (sometimes reopens).
      const agent = AGENTS[Math.floor(random() * AGENTS.length)]!;
      const language = random() < 0.15 ? LANGUAGES[Math.floor(random() * LANGUAGES.length)] : undefined;
      events.push({ type: 'bot_fallback', at: iso(1000), data: { text: `cannot do thing ${Math.floor(random() * 300)}`, confidence: 0.1, ...(language ? { language } : {}) } });
      events.push({ type: 'escalation_offered', at: iso(5000), data: { reason: 'customer_request' } }, { type: 'escalated', at: iso(6000), data: { reason: 'customer_request' } });
      const respond = 60_000 + Math.floor(random() * 7_200_000);
      events.push({ type: 'assigned', at: iso(respond - 30_000), agentId: agent }, { type: 'first_response', at: iso(respond), agentId: agent });
      events.push({ type: 'agent_reply', at: iso(respond), agentId: agent }, { type: 'customer_message', at: iso(respond + 60_000) }, { type: 'agent_reply', at: iso(respond + 120_000), agentId: agent });
      const resolved = respond + 600_000 + Math.floor(random() * 3_600_000);
      events.push({ type: 'resolved', at: iso(resolved), agentId: agent, data: { by: 'agent' } });
      if (random() < 0.1) events.push({ type: 'reopened', at: iso(resolved + 60_000), agentId: agent }, { type: 'resolved', at: iso(resolved + 600_000), agentId: agent, data: { by: 'agent' } });
      conv.ticket = { id: `ticket-${i}`, createdAt: iso(6000), dueAt: iso(6000 + 3_600_000), firstResponseAt: iso(respond), resolvedAt: iso(resolved), assigneeId: agent };
      conv.updatedAt = iso(resolved);
      if (random() < 0.6) conv.ces = { score: 1 + Math.floor(random() * 7), humanInvolved: true, ...(random() < 0.5 ? { csat: 1 + Math.floor(random() * 5) } : {}) };
      if (random() < 0.3) conv.nps = Math.floor(random() * 11);
    } else if (roll < 0.95) {
      // Abandoned: no answer, the customer left; closed by the idle job.
      events.push({ type: 'bot_fallback', at: iso(1000), data: { text: `what about ${Math.floor(random() * 300)}`, confidence: 0.05 } });
      events.push({ type: 'customer_message', at: iso(20_000) }, { type: 'bot_clarified', at: iso(21_000), data: { refs: [] } });
      events.push({ type: 'auto_closed', at: iso(1_800_000), data: { outcome: 'abandoned', by: 'bot' } });
    } else {
      // Still open: the bot is talking.
      answer(1000);
      events.push({ type: 'customer_message', at: iso(20_000) }, { type: 'bot_clarified', at: iso(21_000), data: { refs: [] } });
      conv.state = 'bot';
    }
    batch.push(conv);
    if (batch.length === chunk) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
