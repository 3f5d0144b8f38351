import type { Action, Reply } from '../../../bot/types';
import { answerButtons, CES_HINT, cesOptions, csatHint, csatOptions, eventText, npsHint, npsOptions } from '../../../bot/wording';
import type { ChatMessage } from '../../domain/transcript';
import { actionSchema } from '../../domain/action-schema';

/**
 * Pure rendering: engine replies and transcript messages → Teams messages (plain text or an
 * Adaptive Card). No I/O and no Bot Framework types, so every shape is unit-tested and the
 * JSON moves unchanged to the Microsoft 365 Agents SDK. Buttons are `Action.Submit`; their
 * `data` carries what the submit handler needs (see SubmitData).
 */

/** Adaptive Cards 1.4: rendered by Teams desktop, web and mobile alike. */
export const CARD_VERSION = '1.4';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Id of the optional comment field on the CES card (submitted with the score). */
export const CES_COMMENT_INPUT = 'cesComment';
/** Teams shows at most this many buttons in one row of actions. */
const MAX_ACTIONS_PER_SET = 5;
const TITLE_MAX = 60;
const TEXT_MAX = 4000;

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  /** Teams: use the whole width of the chat for long answers. */
  msteams?: { width: 'Full' };
}

/** What every answerdesk `Action.Submit` carries: the conversation, the engine Action and the label stored with the press. */
export interface SubmitData {
  answerdesk: { c: string; a: Action; l: string };
}

/** A decoded card submission. */
export interface Submission {
  conversationId: string;
  action: Action;
  label: string;
}

/** One outgoing Teams message: plain text, or a card with its notification summary. */
export type TeamsMessage = { kind: 'text'; text: string } | { kind: 'card'; card: AdaptiveCard; summary: string };

export interface RenderOptions {
  conversationId: string;
  /** Absolute article link (PUBLIC_URL based): Teams cannot follow root-relative ones. */
  articleUrl(articleId: string): string;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, ...(actions.length ? { actions } : {}), msteams: { width: 'Full' } };
}

function textBlock(text: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: clip(text, TEXT_MAX), wrap: true, ...extra };
}

function submit(conversationId: string, title: string, action: Action, label: string, style?: 'positive' | 'destructive'): CardElement {
  const data: SubmitData = { answerdesk: { c: conversationId, a: action, l: label } };
  return { type: 'Action.Submit', title: clip(title, TITLE_MAX), data, ...(style ? { style } : {}) };
}

/** Button rows inside the body (Teams cuts long rows of card-level actions short). */
function actionSets(actions: CardElement[], perRow = MAX_ACTIONS_PER_SET): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < actions.length; i += perRow) rows.push({ type: 'ActionSet', actions: actions.slice(i, i + perRow) });
  return rows;
}



/** One engine reply as a Teams message. */
export function renderReply(reply: Reply, options: RenderOptions): TeamsMessage {
  const { conversationId } = options;
  switch (reply.type) {
    case 'text':
    case 'email_request':
      return { kind: 'text', text: reply.text };
    case 'article': {
      const url = options.articleUrl(reply.articleId);
      const body: CardElement[] = [textBlock(reply.title, { size: 'Medium', weight: 'Bolder' })];
      if (reply.summary) body.push(textBlock(reply.summary));
      const actions: CardElement[] = [{ type: 'Action.OpenUrl', title: 'Read the article', url }];
      if (reply.askFeedback) {
        body.push(textBlock('Did this help?', { isSubtle: true, spacing: 'Medium' }));
        actions.push(...answerButtons(reply).map((b) => submit(conversationId, b.text, b.action, b.label, b.positive ? 'positive' : undefined)));
      }
      return { kind: 'card', card: card(body, actions), summary: `${reply.title}: ${url}` };
    }
    case 'choices':
      return {
        kind: 'card',
        // One button per row: choices are article titles, too long to sit side by side.
        card: card([textBlock(reply.text), ...actionSets(reply.choices.map((c) => submit(conversationId, c.label, c.action, c.label)), 1)]),
        summary: `${reply.text} ${reply.choices.map((c) => c.label).join(' / ')}`,
      };
    case 'ces': {
      const scores = cesOptions(reply.scale).map((o) => submit(conversationId, o.text, { kind: 'ces', score: o.score }, o.label));
      const body: CardElement[] = [textBlock(reply.question, { weight: 'Bolder' })];
      if (reply.scale !== 'three-choice') body.push(textBlock(CES_HINT, { isSubtle: true, spacing: 'None' }));
      body.push(
        {
          type: 'Input.Text',
          id: CES_COMMENT_INPUT,
          label: 'Anything to add? (optional, sent with your answer)',
          placeholder: 'What made it easy or hard?',
          isMultiline: true,
          maxLength: 1000,
        },
        // Seven buttons do not fit one Teams row: 1–4 and 5–7.
        ...actionSets(scores, reply.scale === 'three-choice' ? 3 : 4),
      );
      return { kind: 'card', card: card(body), summary: reply.question };
    }
    case 'csat': {
      const scores = csatOptions(reply.scale).map((o) => submit(conversationId, o.text, { kind: 'csat', score: o.score }, o.label));
      return {
        kind: 'card',
        // Five submits fit one Teams row; no comment field (the CES card just had one).
        card: card([
          textBlock(reply.question, { weight: 'Bolder' }),
          textBlock(csatHint(reply.scale), { isSubtle: true, spacing: 'None' }),
          ...actionSets(scores),
        ]),
        summary: reply.question,
      };
    }
    case 'nps': {
      const scores = npsOptions(reply.scale).map((o) => submit(conversationId, o.text, { kind: 'nps', score: o.score }, o.label));
      return {
        kind: 'card',
        // Eleven submits: 0–5 and 6–10, two rows.
        card: card([textBlock(reply.question, { weight: 'Bolder' }), textBlock(npsHint(reply.scale), { isSubtle: true, spacing: 'None' }), ...actionSets(scores, 6)]),
        summary: reply.question,
      };
    }
  }
}


/**
 * A transcript message for the member's chat, or undefined when it has no place there
 * (customer input is already in Teams; internal notes are never shown).
 */
export function renderForMember(message: ChatMessage, options: RenderOptions): TeamsMessage | undefined {
  const { content } = message;
  if (message.author === 'customer' || content.type === 'note' || content.type === 'action') return undefined;
  if (content.type === 'event') return { kind: 'text', text: eventText(content.event, content.agentName) };
  if (message.author !== 'bot' && content.type === 'text') {
    const name = message.authorName ?? (message.author === 'agent' ? 'Support agent' : 'Support');
    return { kind: 'text', text: `${name}: ${content.text}` };
  }
  const rendered = renderReply(content, options);
  if (message.author !== 'bot' && content.type === 'article' && rendered.kind === 'card') {
    // Inserted from the console: the member sees who sent it, as with a typed reply.
    const name = message.authorName ?? 'Support agent';
    return { ...rendered, card: { ...rendered.card, body: [textBlock(`${name} shared an article`, { isSubtle: true, spacing: 'None' }), ...rendered.card.body] }, summary: `${name} shared an article: ${rendered.summary}` };
  }
  return rendered;
}

/**
 * A card submission (`activity.value`) as the press it stands for, or undefined for anything
 * that is not one of ours. The Action is validated like a widget frame: the data made a round
 * trip through the client. The CES comment field arrives next to the data.
 */
export function decodeSubmit(value: unknown): Submission | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = (value as Partial<SubmitData>).answerdesk;
  if (!raw || typeof raw !== 'object' || typeof raw.c !== 'string' || typeof raw.l !== 'string') return undefined;
  const parsed = actionSchema.safeParse(raw.a);
  if (!parsed.success) return undefined;
  let action = parsed.data as Action;
  const comment = (value as Record<string, unknown>)[CES_COMMENT_INPUT];
  if (action.kind === 'ces' && typeof comment === 'string' && comment.trim()) {
    action = { ...action, comment: comment.trim().slice(0, 1000) };
  }
  return { conversationId: raw.c.slice(0, 64), action, label: raw.l.slice(0, 200) };
}

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/**
 * Teams message text as the question the member typed: other people's `<at>` mentions keep
 * their names, stray HTML from channel posts goes, whitespace is tidied. (The bot's own
 * mention is removed before this, from the activity's mention entities.)
 */
export function plainText(text: string): string {
  return text
    .replace(/<at[^>]*>(.*?)<\/at>/gi, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}
