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
  isNpsScore,
  type MatchDecision,
  NPS_MAX,
  type Reply,
} from './types';
import { foreignLanguage } from './language';
import { botText, type BotText } from './wording';

/** What the engine needs from the matcher: ranked candidates for text, and a lookup by reference. */
export interface Matcher {
  match(text: string): MatchDecision;
  candidate(ref: CandidateRef): Candidate | undefined;
  /** Articles written in `locale` that answer the text (for questions in another language). */
  matchInLocale?(text: string, locale: string): Candidate[];
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
  /** The NPS question follows the CSAT answer (both were allowed after the CES answer). */
  npsNext?: boolean;
  /** The NPS question was asked and not yet answered. */
  awaitingNps?: boolean;
  /** The second answer of a two-question message, waiting on its own "Did this help?". */
  pendingAlso?: CandidateRef;
  /** The customer's language when it is not English (BCP 47): replies use it, tickets are tagged with it. */
  language?: string;
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
export const NPS_QUESTION = 'How likely are you to recommend us to a friend or colleague?';
const talkToPerson = (t: BotText): Choice => ({ label: t.talkToPerson, action: { kind: 'handoff' } });
/** Words from which an undetected (English) message resets the conversation's language. */
const LANGUAGE_RESET_WORDS = 3;

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
    if (inbound.action) this.onAction(inbound.action, turn, inbound.surveys ?? { csat: this.options.csat ?? false, nps: false });
    else this.onText(inbound.text ?? '', turn);
    return turn;
  }

  /** The CES question, for the server to send after an agent resolves a conversation. */
  cesPrompt(): Reply {
    return { type: 'ces', question: CES_QUESTION, scale: this.cesScale };
  }

  private onAction(action: Action, turn: Turn, surveys: { csat: boolean; nps: boolean }): void {
    switch (action.kind) {
      case 'handoff':
        return this.escalate('customer_asked', turn);
      case 'feedback':
        return this.onFeedback(action.helpful, turn, action.articleId);
      case 'choose': {
        const candidate = this.options.matcher.candidate(action.candidate);
        if (!candidate) return this.onMiss('', 0, turn);
        return this.answer(candidate, [], turn);
      }
      case 'ces':
        return this.onCes(action, turn, surveys);
      case 'csat':
        return this.onCsat(action.score, turn);
      case 'nps':
        return this.onNps(action.score, turn);
      case 'email':
        turn.events.push({ type: 'email_captured', email: action.email });
        turn.replies.push({ type: 'text', text: this.text(turn).emailThanks(action.email) });
        return;
    }
  }

  private onCes(action: Extract<Action, { kind: 'ces' }>, turn: Turn, surveys: { csat: boolean; nps: boolean }): void {
    const { state } = turn;
    // Only the answer to a CES question we asked leads on to CSAT/NPS: a repeated press does not ask again.
    const asked = state.awaitingCes === true;
    state.awaitingCes = false;
    turn.events.push(action.comment ? { type: 'ces', score: action.score, comment: action.comment } : { type: 'ces', score: action.score });
    if (asked && surveys.csat) {
      state.awaitingCsat = true;
      state.npsNext = surveys.nps;
      turn.events.push({ type: 'survey_asked', survey: 'csat' });
      turn.replies.push({ type: 'csat', question: CSAT_QUESTION, scale: CSAT_SCALE });
      return;
    }
    if (asked && surveys.nps) return this.askNps(turn);
    turn.replies.push({ type: 'text', text: this.text(turn).surveyThanks });
  }

  private onCsat(score: number, turn: Turn): void {
    const { state } = turn;
    // An answer to a question we did not ask (CSAT off, already answered, replayed or forged
    // button) and an out-of-range score are ignored: nothing is counted, nothing is said.
    if (!state.awaitingCsat || !isCsatScore(score)) return;
    state.awaitingCsat = false;
    turn.events.push({ type: 'csat', score });
    if (state.npsNext) return this.askNps(turn);
    turn.replies.push({ type: 'text', text: this.text(turn).surveyThanks });
  }

  private askNps(turn: Turn): void {
    turn.state.npsNext = false;
    turn.state.awaitingNps = true;
    turn.events.push({ type: 'survey_asked', survey: 'nps' });
    turn.replies.push({ type: 'nps', question: NPS_QUESTION, scale: NPS_MAX });
  }

  private onNps(score: number, turn: Turn): void {
    const { state } = turn;
    if (!state.awaitingNps || !isNpsScore(score)) return;
    state.awaitingNps = false;
    turn.events.push({ type: 'nps', score });
    turn.replies.push({ type: 'text', text: this.text(turn).surveyThanks });
  }

  /** Reply texts in the conversation's language. */
  private text(turn: Turn): BotText {
    return botText(turn.state.language);
  }

  private onText(text: string, turn: Turn): void {
    const decision = this.options.matcher.match(text);
    // Detectors misread short English now and then ("I forgot my password" scores as Dutch), so a
    // question the help centre answers confidently in English stays English.
    const language = decision.action === 'answer' ? undefined : foreignLanguage(text);
    if (language) return this.onForeign(text, language, turn);
    if (text.trim().split(/\s+/).length >= LANGUAGE_RESET_WORDS) delete turn.state.language;
    const top = decision.action === 'answer' ? decision.candidate : undefined;
    const intent = top?.ref.kind === 'intent' ? top.ref.id : undefined;

    if (intent === HANDOFF_INTENT) return this.escalate('customer_asked', turn);
    // "yes"/"no" typed after an answer are the same as pressing the feedback buttons.
    if (turn.state.pending && (intent === AFFIRM_INTENT || intent === DENY_INTENT)) {
      return this.onFeedback(intent === AFFIRM_INTENT, turn);
    }

    switch (decision.action) {
      case 'answer':
        this.answer(decision.candidate, decision.candidates, turn);
        if (decision.also?.article) this.answerAlso(decision.also, turn);
        return;
      case 'clarify':
        return this.clarify(decision.candidates, turn);
      case 'fallback':
        return this.onMiss(text, decision.candidates[0]?.confidence ?? 0, turn);
    }
  }

  /**
   * A question in a language the bot was not trained in: offer the articles written in it, if
   * any (search alone found them, so they are offered, not asserted); otherwise say so in that
   * language and offer the team, the language going on the events for the ticket.
   */
  private onForeign(text: string, language: string, turn: Turn): void {
    const { state } = turn;
    state.language = language;
    delete state.pending;
    delete state.pendingAlso;
    const t = this.text(turn);
    const articles = this.options.matcher.matchInLocale?.(text, language) ?? [];
    if (articles.length > 0) {
      state.misses = 0;
      turn.events.push({ type: 'clarified', refs: articles.map((c) => c.ref) });
      turn.replies.push({
        type: 'choices',
        text: articles.length > 1 ? t.clarifyMany : t.inYourLanguage,
        choices: [...articles.map((c) => ({ label: c.title, action: { kind: 'choose', candidate: c.ref } }) as Choice), talkToPerson(t)],
      });
      return;
    }
    state.misses += 1;
    turn.events.push({ type: 'fallback', text, confidence: 0, language });
    turn.events.push({ type: 'escalation_offered', reason: 'unsupported_language', language });
    turn.replies.push({ type: 'choices', text: t.otherLanguage, choices: [talkToPerson(t)] });
  }

  /** The second topic of a two-question message: its own card and its own "Did this help?". */
  private answerAlso(candidate: Candidate, turn: Turn): void {
    const article = candidate.article!;
    if (turn.state.pending && key(turn.state.pending.ref) === key(candidate.ref)) return;
    turn.events.push({ type: 'answered', ref: candidate.ref, confidence: candidate.confidence });
    turn.state.tried.push(key(candidate.ref));
    turn.state.pendingAlso = candidate.ref;
    turn.replies.push({
      type: 'article',
      articleId: article.id,
      title: article.title,
      summary: article.summary,
      url: this.options.articleUrl(article.id),
      askFeedback: true,
      ...(candidate.intent ? { intent: candidate.intent } : {}),
    });
  }

  private answer(candidate: Candidate, ranked: Candidate[], turn: Turn): void {
    const { state } = turn;
    state.misses = 0;
    delete state.pendingAlso;
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
    const t = this.text(turn);
    turn.events.push({ type: 'clarified', refs: options.map((c) => c.ref) });
    turn.replies.push({
      type: 'choices',
      text: options.length > 1 ? t.clarifyMany : t.clarifyOne,
      choices: [...options.map((c) => ({ label: c.title, action: { kind: 'choose', candidate: c.ref } }) as Choice), talkToPerson(t)],
    });
  }

  private onFeedback(helpful: boolean, turn: Turn, articleId?: string): void {
    const { state } = turn;
    // The buttons under the second card of a two-question answer speak for that card only.
    if (articleId !== undefined && state.pendingAlso?.kind === 'article' && state.pendingAlso.id === articleId) {
      const ref = state.pendingAlso;
      delete state.pendingAlso;
      turn.events.push({ type: 'feedback', helpful, ref });
      if (helpful) {
        turn.replies.push({ type: 'text', text: this.text(turn).glad });
        return;
      }
      return this.offerPerson('not_helpful', this.text(turn).notHelpfulOffer, turn);
    }
    const pending = state.pending;
    delete state.pending;
    turn.events.push(pending ? { type: 'feedback', helpful, ref: pending.ref } : { type: 'feedback', helpful });
    if (helpful) {
      turn.events.push(pending ? { type: 'resolved_by_bot', ref: pending.ref } : { type: 'resolved_by_bot' });
      turn.replies.push({ type: 'text', text: this.text(turn).glad });
      turn.replies.push(this.cesPrompt());
      state.awaitingCes = true;
      return;
    }
    const next = pending?.alternatives.find((ref) => !state.tried.includes(key(ref)));
    const candidate = next && this.options.matcher.candidate(next);
    if (candidate) {
      turn.replies.push({ type: 'text', text: this.text(turn).maybeThisOne });
      return this.answer(candidate, (pending?.alternatives ?? []).map((r) => this.options.matcher.candidate(r)).filter((c): c is Candidate => !!c), turn);
    }
    this.offerPerson('not_helpful', this.text(turn).notHelpfulOffer, turn);
  }

  private onMiss(text: string, confidence: number, turn: Turn): void {
    const { state } = turn;
    state.misses += 1;
    delete state.pending;
    turn.events.push(state.language ? { type: 'fallback', text, confidence, language: state.language } : { type: 'fallback', text, confidence });
    if (state.misses >= this.missesBeforeOffer) {
      return this.offerPerson('repeated_misses', this.text(turn).stillNotFinding, turn);
    }
    turn.replies.push({ type: 'choices', text: this.text(turn).rephrase, choices: [talkToPerson(this.text(turn))] });
  }

  private offerPerson(reason: EscalationReason, text: string, turn: Turn): void {
    const language = turn.state.language;
    turn.events.push(language ? { type: 'escalation_offered', reason, language } : { type: 'escalation_offered', reason });
    turn.replies.push({ type: 'choices', text, choices: [talkToPerson(this.text(turn))] });
  }

  private escalate(reason: EscalationReason, turn: Turn): void {
    delete turn.state.pending;
    delete turn.state.pendingAlso;
    const language = turn.state.language;
    turn.events.push(language ? { type: 'escalate', reason, language } : { type: 'escalate', reason });
    turn.replies.push({ type: 'text', text: this.text(turn).connecting });
  }
}
