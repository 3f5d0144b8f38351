import type { types } from '@slack/bolt';
import type { Action, Reply } from '../../../bot/types';
import { answerButtons, CES_HINT, cesOptions, csatHint, csatOptions, eventText, npsHint, npsOptions } from '../../../bot/wording';
import { actionSchema } from '../../domain/action-schema';
import type { ChatMessage } from '../../domain/transcript';
import type { Ticket } from '../../store/types';

/**
 * Pure rendering: engine replies and transcript messages → Block Kit. No I/O, so every
 * shape can be unit-tested. Buttons carry what the click handler needs in their `value`.
 */

export type Block = types.KnownBlock;

/** What chat.postMessage / chat.update need: blocks plus the plain-text notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Button values of customer buttons: the conversation, the engine Action and the label stored with the click. */
export interface ButtonValue {
  c: string;
  a: Action;
  l: string;
}

export const CUSTOMER_ACTION_PREFIX = 'answerdesk.action.';
export const CLAIM_ACTION_ID = 'answerdesk.claim';
/** Slack limits: 2,000 characters per button value, 3,000 per section text, 75 per button text. */
const VALUE_MAX = 2000;
const SECTION_MAX = 3000;
const BUTTON_TEXT_MAX = 75;

/** Slack mrkdwn needs only &, < and > escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn, SECTION_MAX) } };
}

function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn, SECTION_MAX) }] };
}


export function encodeButtonValue(value: ButtonValue): string {
  const json = JSON.stringify(value);
  if (json.length > VALUE_MAX) throw new Error(`button value too long (${json.length} characters)`);
  return json;
}

/**
 * Parses a customer button value; undefined for anything that is not one of ours. The Action
 * is validated like a widget frame (a CSAT of 6 or "abc" is not an answer).
 */
export function decodeButtonValue(raw: string | undefined): ButtonValue | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<ButtonValue>;
    if (typeof v.c !== 'string' || typeof v.l !== 'string') return undefined;
    const action = actionSchema.safeParse(v.a);
    if (!action.success) return undefined;
    return { c: v.c, a: action.data as Action, l: v.l };
  } catch {
    return undefined;
  }
}


interface Button {
  text: string;
  action: Action;
  label: string;
  style?: 'primary' | 'danger';
}

function actions(conversationId: string, buttons: Button[]): Block {
  return {
    type: 'actions',
    elements: buttons.slice(0, 25).map((b, i) => ({
      type: 'button',
      action_id: `${CUSTOMER_ACTION_PREFIX}${i}`,
      text: { type: 'plain_text', text: clip(b.text, BUTTON_TEXT_MAX), emoji: true },
      value: encodeButtonValue({ c: conversationId, a: b.action, l: b.label }),
      ...(b.style ? { style: b.style } : {}),
    })),
  };
}

export interface RenderOptions {
  conversationId: string;
  /** Absolute article link (PUBLIC_URL based): Slack cannot follow root-relative ones. */
  articleUrl(articleId: string): string;
}

/** One engine reply as a Slack message. */
export function renderReply(reply: Reply, options: RenderOptions): SlackMessage {
  const { conversationId } = options;
  switch (reply.type) {
    case 'text':
    case 'email_request':
      return { text: reply.text, blocks: [section(escapeMrkdwn(reply.text))] };
    case 'article': {
      const url = options.articleUrl(reply.articleId);
      const blocks: Block[] = [section(`*<${url}|${escapeMrkdwn(reply.title)}>*\n${escapeMrkdwn(reply.summary)}`)];
      if (reply.askFeedback) {
        blocks.push(actions(conversationId, answerButtons(reply).map((b) => ({ text: b.text, action: b.action, label: b.label, ...(b.positive ? { style: 'primary' as const } : {}) }))));
      }
      return { text: `${reply.title}: ${url}`, blocks };
    }
    case 'choices':
      return {
        text: `${reply.text} ${reply.choices.map((c) => c.label).join(' / ')}`,
        blocks: [section(escapeMrkdwn(reply.text)), actions(conversationId, reply.choices.map((c) => ({ text: c.label, action: c.action, label: c.label })))],
      };
    case 'ces': {
      const options = cesOptions(reply.scale);
      const blocks: Block[] = [
        section(escapeMrkdwn(reply.question)),
        actions(
          conversationId,
          options.map((o) => ({ text: o.text, action: { kind: 'ces', score: o.score }, label: o.label })),
        ),
      ];
      if (reply.scale !== 'three-choice') blocks.push(context(CES_HINT));
      return { text: reply.question, blocks };
    }
    case 'csat':
      return scaleQuestion(conversationId, reply.question, 'csat', csatOptions(reply.scale), csatHint(reply.scale));
    case 'nps':
      // Eleven buttons: Slack allows 25 elements in an actions block.
      return scaleQuestion(conversationId, reply.question, 'nps', npsOptions(reply.scale), npsHint(reply.scale));
  }
}


/**
 * A transcript message for the member's thread, or undefined when it has no place there
 * (customer input is already in Slack; internal notes are never shown).
 */
export function renderForMember(message: ChatMessage, options: RenderOptions): SlackMessage | undefined {
  const { content } = message;
  if (message.author === 'customer' || content.type === 'note' || content.type === 'action') return undefined;
  if (message.author === 'bot') return renderReply(content as Reply, options);
  if (content.type === 'event') {
    const text = eventText(content.event, content.agentName);
    return { text, blocks: [context(`_${escapeMrkdwn(text)}_`)] };
  }
  const name = message.authorName ?? (message.author === 'agent' ? 'Support agent' : 'Support');
  if (content.type === 'text') {
    return { text: `${name}: ${content.text}`, blocks: [section(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(content.text)}`)] };
  }
  if (content.type === 'article') {
    // Inserted from the console: the member sees who sent it, as with a typed reply.
    const card = renderReply(content, options);
    return { text: `${name} shared an article: ${card.text}`, blocks: [context(`*${escapeMrkdwn(name)}* shared an article`), ...card.blocks] };
  }
  return renderReply(content, options);
}

const REASONS: Record<string, string> = {
  customer_asked: 'asked for a person',
  not_helpful: "the answers didn't help",
  repeated_misses: "the bot couldn't find an answer",
  low_confidence: 'the bot was unsure',
};

export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

export interface NoticeInput {
  ticket: Pick<Ticket, 'id' | 'subject' | 'reason'>;
  /** Slack user id of the member. */
  customerUser: string;
  /** `${publicBase}/console` */
  consoleUrl: string;
  /** Link to the member's thread, when known. */
  threadLink?: string;
  /** Set once someone has claimed or resolved it: replaces the Claim button. */
  status?: string;
}

/** The agents' channel notice: summary, console link and (while open) a Claim button. */
export function renderNotice(input: NoticeInput): SlackMessage {
  const { ticket } = input;
  const summary =
    `*New ticket* from <@${input.customerUser}> (${escapeMrkdwn(reasonText(ticket.reason))})\n` +
    `>${escapeMrkdwn(ticket.subject.replace(/\s+/g, ' '))}`;
  const links = [`Ticket \`${ticket.id}\``, `<${input.consoleUrl}|Open the console>`, ...(input.threadLink ? [`<${input.threadLink}|Member's thread>`] : [])];
  const blocks: Block[] = [section(summary), context(links.join(' · '))];
  if (input.status) {
    blocks.push(section(escapeMrkdwn(input.status)));
  } else {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: CLAIM_ACTION_ID, text: { type: 'plain_text', text: 'Claim' }, style: 'primary', value: ticket.id },
      ],
    });
    blocks.push(context('Reply in this thread to answer the member; type `resolve` here (or `/answerdesk resolve <ticket id>`) when done.'));
  }
  const text = input.status ? `Ticket: ${ticket.subject} — ${input.status}` : `New ticket from a Slack member: ${ticket.subject}`;
  return { text, blocks };
}

/** A clicked customer button: the message keeps its text, the buttons become the choice. */
export function renderAnswered(blocks: Block[] | undefined, label: string): Block[] {
  const kept = (blocks ?? []).filter((b) => b.type !== 'actions');
  return [...kept, context(`You chose: *${escapeMrkdwn(label)}*`)];
}

/** A CSAT or NPS question: the question, one button per score, the scale's hint. */
function scaleQuestion(conversationId: string, question: string, kind: 'csat' | 'nps', options: { text: string; score: number; label: string }[], hint: string) {
  return {
    text: question,
    blocks: [section(escapeMrkdwn(question)), actions(conversationId, options.map((o) => ({ text: o.text, action: { kind, score: o.score }, label: o.label }))), context(hint)],
  };
}
