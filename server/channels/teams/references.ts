import type { ConversationReference } from 'botbuilder';
import type { Conversation } from '../../store/types';

/**
 * What a Teams conversation remembers about its place in Teams (conversation.channelRef): the
 * Bot Framework `ConversationReference` of the chat, taken from the member's latest activity
 * (`TurnContext.getConversationReference`). Everything said to the member is sent proactively
 * from it — bot answers, console replies, system events and the CES card alike.
 */
export type TeamsRef = Partial<ConversationReference> & {
  serviceUrl: string;
  conversation: ConversationReference['conversation'];
};

export function teamsRef(conversation: Pick<Conversation, 'channelRef'>): TeamsRef | undefined {
  const ref = conversation.channelRef as Partial<TeamsRef> | null | undefined;
  if (!ref || typeof ref !== 'object' || typeof ref.serviceUrl !== 'string' || typeof ref.conversation?.id !== 'string') return undefined;
  return ref as TeamsRef;
}
