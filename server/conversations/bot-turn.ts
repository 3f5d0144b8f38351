import type { Logger } from 'pino';
import { type ConversationEngine, INITIAL_STATE } from '../../bot/engine';
import type { Action, BotEvent, Reply } from '../../bot/types';
import { acceptedInAnyState } from '../domain/transcript';
import type { RealtimeBus } from '../realtime/bus';
import type { Conversation, Store, Ticket } from '../store/types';
import type { TranscriptWriter, TurnDraft } from './writer';
import type { DomainEvents } from '../webhooks/emitter';
import type { Availability } from '../domain/views';
import { botText } from '../../bot/wording';

/** A turn the bot has decided: what to store, and the events to act on once it is stored. */
export interface PlannedTurn extends TurnDraft {
  events: BotEvent[];
  /** The bot stays silent and a person takes over (e.g. an email it cannot answer with confidence). */
  handOver?: { reason: string; language?: string };
}
import { NO_QUESTION_SUBJECT, subjectOf } from './escalation';
import { followUpSurveys, type SurveySettings } from '../metrics/survey-settings';

export interface BotTurnDeps {
  store: Store;
  engine: ConversationEngine;
  writer: TranscriptWriter;
  bus: RealtimeBus;
  log: Logger;
  events?: DomainEvents;
  escalate(conversation: Conversation, reason: string, language?: string): Promise<Ticket>;
  /** CSAT/NPS defaults from the environment; the console settings override them. */
  surveyDefaults: SurveySettings;
  /** Whether a person can take a hand-over now (agents online, within business hours). */
  availability(): Promise<Availability>;
}

type TurnInput = { text?: string; action?: Action };

/** Events whose settling updates the conversation row (keep in step with `onEvent`). */
const CHANGES_CONVERSATION: ReadonlySet<BotEvent['type']> = new Set(['resolved_by_bot', 'escalate', 'email_captured']);

/** The bot's side of a conversation: answering, and what its answers mean (events, surveys, hand-over). */
export class BotTurns {
  constructor(private readonly deps: BotTurnDeps) {}

  /** Whether the bot takes the turn after this input: surveys and contact details in any state, the rest only while the bot leads. */
  answers(conversation: Conversation, input: TurnInput): boolean {
    return conversation.state === 'bot' || (input.action !== undefined && acceptedInAnyState(input.action));
  }

  /**
   * What the bot says and does after `input` (nothing is stored). `typing: false` when the turn
   * may yet not be written (planned on a remembered version of the conversation): a "typing"
   * shown then could be a bot typing in a conversation a person has taken.
   */
  async plan(conversation: Conversation, input: TurnInput, { typing = true } = {}): Promise<PlannedTurn> {
    // Local only: the answer follows within milliseconds, so other instances gain nothing from it.
    if (typing) this.deps.bus.publish({ type: 'typing', conversationId: conversation.id, author: 'bot' }, 'local');
    // A CES answer may lead on to CSAT and NPS: which ones is the service's decision (settings, once per customer in N days).
    const surveys = input.action?.kind === 'ces' ? await followUpSurveys(this.deps.store, this.deps.surveyDefaults, conversation.customerId) : undefined;
    const turn = this.deps.engine.handle({ channel: conversation.channel, conversationId: conversation.id, ...input, ...(surveys ? { surveys } : {}) }, conversation.botState ?? INITIAL_STATE);
    const records = turn.events.flatMap((event) => recordOf(event, input.text));
    if (conversation.channel === 'email' && input.text !== undefined && !turn.events.some((e) => e.type === 'answered' || e.type === 'escalate')) {
      // Email is not a chat: a "did you mean…" or "please rephrase" costs the customer hours.
      // Without a confident answer a person takes it, with the email as the transcript.
      const language = (turn.events.find((e) => e.type === 'fallback' || e.type === 'escalation_offered') as { language?: string } | undefined)?.language;
      return { state: turn.state, replies: [], records, events: [], handOver: { reason: 'email_not_answered', ...(language ? { language } : {}) } };
    }
    return { state: turn.state, replies: await this.withoutFalsePromise(turn), records, events: turn.events };
  }

  /**
   * The engine hands over with "I'm connecting you with our support team". With nobody online
   * (or out of hours) that is not what happens: the hand-over itself then says when a person
   * will reply, so the promise is dropped — one message for one change of state.
   */
  private async withoutFalsePromise(turn: { replies: Reply[]; events: BotEvent[]; state: { language?: string } }): Promise<Reply[]> {
    if (!turn.events.some((e) => e.type === 'escalate')) return turn.replies;
    const now = await this.deps.availability();
    if (now.agentsOnline && now.withinBusinessHours) return turn.replies;
    const promise = botText(turn.state.language).connecting;
    return turn.replies.filter((r) => !(r.type === 'text' && r.text === promise));
  }

  /** After a stored turn: what its events do beyond being recorded (hand-over, surveys, resolving). */
  async settle(conversation: Conversation, turn: PlannedTurn): Promise<void> {
    for (const event of turn.events) await this.onEvent(conversation, event);
    if (turn.handOver) await this.deps.escalate(conversation, turn.handOver.reason, turn.handOver.language);
  }

  /** A customer wrote while a person leads the conversation: agents hear of it. */
  async toAgents(conversation: Conversation, input: TurnInput): Promise<void> {
    const { store, bus } = this.deps;
    await store.events.log({ type: 'customer_message', conversationId: conversation.id, channel: conversation.channel });
    const ticket = await store.tickets.byConversation(conversation.id);
    // Opened from the header's button, before any question: the first real question names it.
    if (ticket && input.text?.trim() && ticket.subject === NO_QUESTION_SUBJECT) await store.tickets.update(ticket.id, { subject: subjectOf(input.text) });
    if (ticket) bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: conversation.id });
  }

  /**
   * Crash recovery. An instance that dies between storing (and acknowledging) a customer
   * message and storing the bot's answer leaves the conversation waiting on the bot. When
   * the visitor reconnects (to any instance) this answers that message — once, whichever
   * instance gets there first. A message younger than `graceMs` may still be in the hands
   * of a live instance: the result is then how long to wait before asking again.
   */
  async answerPending(conversationId: string, graceMs: number): Promise<{ retryInMs: number } | { answered: boolean }> {
    const { store, log } = this.deps;
    const conversation = await store.conversations.get(conversationId);
    if (!conversation || conversation.lastSeq === 0) return { answered: false };
    const [last] = await store.conversations.listMessages(conversationId, conversation.lastSeq - 1, 1);
    if (!last || last.author !== 'customer') return { answered: false };
    const input = last.content.type === 'text' ? { text: last.content.text } : last.content.type === 'action' ? { action: last.content.action } : undefined;
    if (!input) return { answered: false };
    const anyState = input.action !== undefined && acceptedInAnyState(input.action);
    if (conversation.state !== 'bot' && !anyState) return { answered: false };
    const age = Date.now() - Date.parse(last.createdAt);
    if (age < graceMs) return { retryInMs: graceMs - Math.max(0, age) };
    if (!(await store.limits.markProcessed(`answer:${last.id}`))) return { answered: false };
    log.warn({ conversationId, seq: last.seq }, 'answering a customer message left unanswered by a stopped instance');
    await this.run(conversation, input);
    return { answered: true };
  }

  /** One turn of the bot for a message stored earlier (crash recovery): written, announced, settled. */
  private async run(conversation: Conversation, input: TurnInput): Promise<void> {
    const turn = await this.plan(conversation, input);
    const { messages } = await this.deps.writer.appendTurn(conversation, turn);
    this.deps.writer.announce(conversation.id, messages);
    await this.settle(conversation, turn);
  }

  async say(conversation: Conversation, reply: Reply): Promise<void> {
    await this.deps.writer.append(conversation, { author: 'bot', content: reply });
  }

  /**
   * Whether settling `turn` leaves the conversation row as the turn wrote it — no hand-over,
   * resolution or captured email (`onEvent`) — so the next follow-up may be planned on it.
   */
  leavesAsWritten(turn: PlannedTurn): boolean {
    return !turn.handOver && turn.events.every((e) => !CHANGES_CONVERSATION.has(e.type));
  }

  /** What an event does beyond being recorded (recording happened with the turn). */
  private async onEvent(conversation: Conversation, event: BotEvent): Promise<void> {
    const { store } = this.deps;
    const base = { conversationId: conversation.id, channel: conversation.channel };
    switch (event.type) {
      case 'answered':
      case 'clarified':
      case 'fallback':
      case 'escalation_offered':
        return;
      case 'feedback':
        if (event.ref?.kind === 'article') {
          await store.surveys.recordArticleFeedback({ articleId: event.ref.id, helpful: event.helpful, source: conversation.channel, conversationId: conversation.id });
        }
        return;
      case 'resolved_by_bot': {
        await store.events.log({ ...base, type: 'resolved', data: { by: 'bot', ref: event.ref } });
        const updated = await store.conversations.update(conversation.id, { state: 'resolved', resolvedAt: new Date().toISOString() });
        this.deps.bus.publish({ type: 'conversation', conversationId: updated.id, customerId: updated.customerId });
        return;
      }
      case 'escalate':
        await this.deps.escalate(conversation, event.reason, event.language);
        return;
      case 'ces':
        return this.recordCes(conversation, event.score, event.comment);
      case 'csat':
        return this.recordCsat(conversation, event.score);
      case 'nps':
        return this.recordNps(conversation, event.score);
      case 'survey_asked':
        return;
      case 'email_captured': {
        await store.conversations.update(conversation.id, { email: event.email });
        await store.customers.save({ id: conversation.customerId, channel: conversation.channel, email: event.email });
        this.deps.bus.publish({ type: 'conversation', conversationId: conversation.id });
        return;
      }
    }
  }

  private async recordCes(conversation: Conversation, score: number, comment: string | undefined): Promise<void> {
    const { store } = this.deps;
    const bounded = Math.max(1, Math.min(7, Math.round(score)));
    const ticket = await store.tickets.byConversation(conversation.id);
    const events = await store.events.ofConversation(conversation.id);
    const lastAnswer = [...events].reverse().find((e) => e.type === 'bot_answered');
    const ref = lastAnswer?.data.ref as { kind: string; id: string } | undefined;
    const answer = { conversationId: conversation.id, channel: conversation.channel, score: bounded, comment: comment?.slice(0, 1000) ?? null, humanInvolved: ticket !== undefined };
    const stored = await store.surveys.record(
      {
        ...answer,
        kind: 'ces',
        articleId: ref?.kind === 'article' ? ref.id : null,
        intent: ref?.kind === 'intent' ? ref.id : null,
        agentId: ticket?.assigneeId ?? null,
      },
      await this.surveyEvent({ ...answer, customerId: conversation.customerId, kind: 'ces' }),
    );
    if (stored) {
      await store.events.log({ type: 'ces_answered', conversationId: conversation.id, channel: conversation.channel, data: { score: bounded, humanInvolved: ticket !== undefined } });
    }
    // The bot state was saved from this turn already (awaitingCes cleared, maybe awaitingCsat
    // set); writing `conversation.botState` here would put the pre-turn state back.
  }

  /** `survey.answered`, written with the answer (only when it is the first answer). */
  private surveyEvent(survey: { conversationId: string; customerId: string; channel: Conversation['channel']; kind: 'ces' | 'csat' | 'nps'; score: number; comment: string | null; humanInvolved: boolean }) {
    return this.deps.events?.rows([{ type: 'survey.answered', data: { survey } }]) ?? Promise.resolve([]);
  }

  /** NPS has its own survey row: one per conversation (a second answer changes nothing). */
  private async recordNps(conversation: Conversation, score: number): Promise<void> {
    const { store } = this.deps;
    const ticket = await store.tickets.byConversation(conversation.id);
    const answer = { conversationId: conversation.id, channel: conversation.channel, score, humanInvolved: ticket !== undefined };
    const stored = await store.surveys.record({ ...answer, kind: 'nps', agentId: ticket?.assigneeId ?? null }, await this.surveyEvent({ ...answer, customerId: conversation.customerId, kind: 'nps', comment: null }));
    if (stored) await store.events.log({ type: 'nps_answered', conversationId: conversation.id, channel: conversation.channel, data: { score, humanInvolved: ticket !== undefined } });
  }

  /** CSAT rides on the CES survey row: the first answer counts, later ones change nothing. */
  private async recordCsat(conversation: Conversation, score: number): Promise<void> {
    const { store } = this.deps;
    const ticket = await store.tickets.byConversation(conversation.id);
    const event = await this.surveyEvent({ conversationId: conversation.id, customerId: conversation.customerId, channel: conversation.channel, kind: 'csat', score, comment: null, humanInvolved: ticket !== undefined });
    if (!(await store.surveys.recordCsat(conversation.id, score, event))) return;
    await store.events.log({ type: 'csat_answered', conversationId: conversation.id, channel: conversation.channel, data: { score, humanInvolved: ticket !== undefined } });
  }
}

/** The log row of an event that only records what the bot did; none for events that act. */
function recordOf(event: BotEvent, text: string | undefined): { type: string; data: Record<string, unknown> }[] {
  switch (event.type) {
    case 'answered':
      return [{ type: 'bot_answered', data: { ref: event.ref, confidence: event.confidence, text } }];
    case 'clarified':
      return [{ type: 'bot_clarified', data: { refs: event.refs, text } }];
    case 'fallback':
      // The raw question is what "top unanswered questions" is made of.
      return [{ type: 'bot_fallback', data: { text: event.text.slice(0, 500), confidence: event.confidence, ...(event.language ? { language: event.language } : {}) } }];
    case 'feedback':
      return [{ type: 'bot_feedback', data: { helpful: event.helpful, ref: event.ref } }];
    case 'escalation_offered':
      return [{ type: 'escalation_offered', data: { reason: event.reason, ...(event.language ? { language: event.language } : {}) } }];
    case 'survey_asked':
      // The once-per-customer window for CSAT and NPS counts these.
      return [{ type: 'survey_asked', data: { survey: event.survey } }];
    default:
      return [];
  }
}
