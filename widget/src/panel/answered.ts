/**
 * Which interactive bot messages (feedback, choices, CES, CSAT, email request) the visitor already
 * answered, derived from what they did afterwards — so buttons stay disabled after a reload too.
 */
import type { Action } from '../../../bot/types';
import type { ChatMessage, ConversationView } from '../../../server/channels/web/protocol';
import type { Outgoing } from './transcript';

export const messageKey = (m: Pick<ChatMessage, 'conversationId' | 'seq'>): string => `${m.conversationId}:${m.seq}`;

/** key → the action that answered it (undefined when answered by typing instead). */
export type Answers = Map<string, Action | undefined>;

export function answeredMessages(messages: readonly ChatMessage[], outbox: readonly Outgoing[], conversation: ConversationView | null): Answers {
  const answers: Answers = new Map();
  let laterCustomer: Action | null | undefined = outbox.length > 0 ? null : undefined;
  const feedback = new Map<string, Action>();
  let ces: Action | undefined;
  let csat: Action | undefined;
  let nps: Action | undefined;
  let email: Action | undefined | null = conversation?.email ? null : undefined;

  const note = (action: Action) => {
    laterCustomer = action;
    if (action.kind === 'feedback') feedback.set(action.articleId ?? '', action);
    if (action.kind === 'ces') ces = action;
    if (action.kind === 'csat') csat = action;
    if (action.kind === 'nps') nps = action;
    if (action.kind === 'email') email = action;
  };
  // Walk backwards: the visitor's earliest reply after a message is the one that answered it.
  for (let i = outbox.length - 1; i >= 0; i--) {
    const f = outbox[i]!.frame;
    if (f.type === 'action') note(f.action);
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const c = m.content;
    if (m.author === 'customer') {
      if (c.type === 'action') note(c.action);
      else laterCustomer = null;
      continue;
    }
    const key = messageKey(m);
    if (c.type === 'article' && c.askFeedback && feedback.has(c.articleId)) answers.set(key, feedback.get(c.articleId));
    else if (c.type === 'choices' && laterCustomer !== undefined) answers.set(key, laterCustomer ?? undefined);
    else if (c.type === 'ces' && ces) answers.set(key, ces);
    else if (c.type === 'csat' && csat) answers.set(key, csat);
    else if (c.type === 'nps' && nps) answers.set(key, nps);
    else if (c.type === 'email_request' && email !== undefined) answers.set(key, email ?? undefined);
  }
  return answers;
}
