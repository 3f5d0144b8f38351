import {
  type Action,
  type BotEvent,
  type Candidate,
  type CandidateRef,
  type CesScale,
  type Choice,
  CSAT_SCALE,
  type EscalationReason,
  type InboundMessage,
  isCsatScore,
  type MatchDecision,
  type Reply,
} from './types';

/** What the engine needs from the matcher: ranked candidates for text, and a lookup by reference. */
export interface Matcher {
  match(text: string): MatchDecision;
  candidate(ref: CandidateRef): Candidate | undefined;
}

/** Per-conversation memory, stored by the server between turns (JSON-safe). */
export interface BotState {
  /** The answer we last gave and are waiting on "Did this help?" for, with the runners-up. */
  pending?: { ref: CandidateRef; alternatives: CandidateRef[] };
  /** Consecutive turns the bot could not match. */
  misses: number;
  /** Answers already shown in this conversation, so "No" never repeats one. */
  tried: string[];
  /** A CES question was asked and not yet answered. */
  awaitingCes?: boolean;
  /** The CSAT question (asked after the CES answer) was asked and not yet answered. */
  awaitingCsat?: boolean;
}

export interface EngineOptions {
  matcher: Matcher;
  /** Public link of an article, e.g. `${PUBLIC_URL}/help/articles/${id}`. */
  articleUrl(articleId: string): string;
  cesScale?: CesScale;
  /** Follow the CES answer with the CSAT question (CSAT_ENABLED). */
  csat?: boolean;
  /** Misses in a row before the bot offers a person on its own. */
  missesBeforeOffer?: number;
}

export interface Turn {
  replies: Reply[];
  events: BotEvent[];
  state: BotState;
}

export const INITIAL_STATE: BotState = { misses: 0, tried: [] };

export const HANDOFF_INTENT = 'human_handoff';
const AFFIRM_INTENT = 'affirm';
const DENY_INTENT = 'deny';

export const CES_QUESTION = 'How easy was it to get your issue resolved?';
export const CSAT_QUESTION = 'How satisfied are you with the help you received?';
const SURVEY_THANKS = 'Thank you for your feedback!';
const TALK_TO_PERSON: Choice = { label: 'Talk to a person', action: { kind: 'handoff' } };

const key = (ref: CandidateRef) => `${ref.kind}:${ref.id}`;

/**
 * The channel-agnostic conversation engine. Pure: (state, inbound) → (replies, events, state).
 * Channels render replies; the server persists state and turns events into tickets and metrics.
 */
export class ConversationEngine {
  private readonly missesBeforeOffer: number;
  private readonly cesScale: CesScale;

  constructor(private readonly options: EngineOptions) {
    this.missesBeforeOffer = options.missesBeforeOffer ?? 2;
    this.cesScale = options.cesScale ?? 'seven-point';
  }

  handle(inbound: InboundMessage, previous: BotState = INITIAL_STATE): Turn {
    const state: BotState = { ...previous, tried: [...previous.tried] };
    const turn: Turn = { replies: [], events: [], state };
    if (inbound.action) this.onAction(inbound.action, turn);
    else this.onText(inbound.text ?? '', turn);
    return turn;
  }

  /** The CES question, for the server to send after an agent resolves a conversation. */
  cesPrompt(): Reply {
    return { type: 'ces', question: CES_QUESTION, scale: this.cesScale };
  }

  private onAction(action: Action, turn: Turn): void {
    switch (action.kind) {
      case 'handoff':
        return this.escalate('customer_asked', turn);
      case 'feedback':
        return this.onFeedback(action.helpful, turn);
      case 'choose': {
        const candidate = this.options.matcher.candidate(action.candidate);
        if (!candidate) return this.onMiss('', 0, turn);
        return this.answer(candidate, [], turn);
      }
      case 'ces':
        return this.onCes(action, turn);
      case 'csat':
        return this.onCsat(action.score, turn);
      case 'email':
        turn.events.push({ type: 'email_captured', email: action.email });
        turn.replies.push({ type: 'text', text: `Thanks — we'll reply to ${action.email}.` });
        return;
    }
  }

  private onCes(action: Extract<Action, { kind: 'ces' }>, turn: Turn): void {
    const { state } = turn;
    // Only the answer to a CES question we asked leads on to CSAT: a repeated press does not ask again.
    const asked = state.awaitingCes === true;
    state.awaitingCes = false;
    turn.events.push(action.comment ? { type: 'ces', score: action.score, comment: action.comment } : { type: 'ces', score: action.score });
    if (this.options.csat && asked) {
      state.awaitingCsat = true;
      turn.replies.push({ type: 'csat', question: CSAT_QUESTION, scale: CSAT_SCALE });
      return;
    }
    turn.replies.push({ type: 'text', text: SURVEY_THANKS });
  }

  private onCsat(score: number, turn: Turn): void {
    const { state } = turn;
    // An answer to a question we did not ask (CSAT off, already answered, replayed or forged
    // button) and an out-of-range score are ignored: nothing is counted, nothing is said.
    if (!this.options.csat || !state.awaitingCsat || !isCsatScore(score)) return;
    state.awaitingCsat = false;
    turn.events.push({ type: 'csat', score });
    turn.replies.push({ type: 'text', text: SURVEY_THANKS });
  }

  private onText(text: string, turn: Turn): void {
    const decision = this.options.matcher.match(text);
    const top = decision.action === 'answer' ? decision.candidate : undefined;
    const intent = top?.ref.kind === 'intent' ? top.ref.id : undefined;

    if (intent === HANDOFF_INTENT) return this.escalate('customer_asked', turn);
    // "yes"/"no" typed after an answer are the same as pressing the feedback buttons.
    if (turn.state.pending && (intent === AFFIRM_INTENT || intent === DENY_INTENT)) {
      return this.onFeedback(intent === AFFIRM_INTENT, turn);
    }

    switch (decision.action) {
      case 'answer':
        return this.answer(decision.candidate, decision.candidates, turn);
      case 'clarify':
        return this.clarify(decision.candidates, turn);
      case 'fallback':
        return this.onMiss(text, decision.candidates[0]?.confidence ?? 0, turn);
    }
  }

  private answer(candidate: Candidate, ranked: Candidate[], turn: Turn): void {
    const { state } = turn;
    state.misses = 0;
    turn.events.push({ type: 'answered', ref: candidate.ref, confidence: candidate.confidence });
    if (candidate.article) {
      state.tried.push(key(candidate.ref));
      state.pending = {
        ref: candidate.ref,
        alternatives: ranked
          .filter((c) => c.article && key(c.ref) !== key(candidate.ref))
          .slice(0, 3)
          .map((c) => c.ref),
      };
      turn.replies.push({
        type: 'article',
        articleId: candidate.article.id,
        title: candidate.article.title,
        summary: candidate.article.summary,
        url: this.options.articleUrl(candidate.article.id),
        askFeedback: true,
        ...(candidate.ref.kind === 'intent' ? { intent: candidate.ref.id } : {}),
      });
      return;
    }
    // Short responses (greeting, opening hours …) need no "Did this help?".
    delete state.pending;
    turn.replies.push({ type: 'text', text: candidate.response ?? candidate.title });
  }

  private clarify(candidates: Candidate[], turn: Turn): void {
    const options = candidates.slice(0, 3);
    turn.events.push({ type: 'clarified', refs: options.map((c) => c.ref) });
    turn.replies.push({
      type: 'choices',
      text: options.length > 1 ? 'I found a few things that might help. Which one fits best?' : 'Is this what you are looking for?',
      choices: [...options.map((c) => ({ label: c.title, action: { kind: 'choose', candidate: c.ref } }) as Choice), TALK_TO_PERSON],
    });
  }

  private onFeedback(helpful: boolean, turn: Turn): void {
    const { state } = turn;
    const pending = state.pending;
    delete state.pending;
    turn.events.push(pending ? { type: 'feedback', helpful, ref: pending.ref } : { type: 'feedback', helpful });
    if (helpful) {
      turn.events.push(pending ? { type: 'resolved_by_bot', ref: pending.ref } : { type: 'resolved_by_bot' });
      turn.replies.push({ type: 'text', text: 'Great, glad that helped!' });
      turn.replies.push(this.cesPrompt());
      state.awaitingCes = true;
      return;
    }
    const next = pending?.alternatives.find((ref) => !state.tried.includes(key(ref)));
    const candidate = next && this.options.matcher.candidate(next);
    if (candidate) {
      turn.replies.push({ type: 'text', text: 'Sorry about that. Maybe this one helps:' });
      return this.answer(candidate, (pending?.alternatives ?? []).map((r) => this.options.matcher.candidate(r)).filter((c): c is Candidate => !!c), turn);
    }
    this.offerPerson('not_helpful', "Sorry that didn't help. Would you like to talk to a person?", turn);
  }

  private onMiss(text: string, confidence: number, turn: Turn): void {
    const { state } = turn;
    state.misses += 1;
    delete state.pending;
    turn.events.push({ type: 'fallback', text, confidence });
    if (state.misses >= this.missesBeforeOffer) {
      return this.offerPerson('repeated_misses', "I'm still not finding an answer. Would you like to talk to a person?", turn);
    }
    turn.replies.push({
      type: 'choices',
      text: "Sorry, I didn't quite get that. Could you rephrase it?",
      choices: [TALK_TO_PERSON],
    });
  }

  private offerPerson(reason: EscalationReason, text: string, turn: Turn): void {
    turn.events.push({ type: 'escalation_offered', reason });
    turn.replies.push({ type: 'choices', text, choices: [TALK_TO_PERSON] });
  }

  private escalate(reason: EscalationReason, turn: Turn): void {
    delete turn.state.pending;
    turn.events.push({ type: 'escalate', reason });
    turn.replies.push({ type: 'text', text: "I'm connecting you with our support team. Someone will be with you shortly." });
  }
}
