import type { Conversation } from '../../store/types';

/**
 * What a Slack conversation remembers about its place in Slack (conversation.channelRef):
 * the member's thread and, once escalated, the notice in the agents' channel.
 */
export interface SlackRef {
  /** Channel (or DM) of the member's thread. */
  channel: string;
  /** The thread every answer goes into. */
  threadTs: string;
  /** The member's Slack user id. */
  user: string;
  team?: string;
  notice?: { channel: string; ts: string; ticketId: string };
}

export function slackRef(conversation: Pick<Conversation, 'channelRef'>): SlackRef | undefined {
  const ref = conversation.channelRef as Partial<SlackRef> | null | undefined;
  if (!ref || typeof ref !== 'object' || typeof ref.channel !== 'string' || typeof ref.threadTs !== 'string') return undefined;
  return ref as SlackRef;
}

/** The thread key of a member's Slack thread: with the member it finds the conversation (indexed). */
export const slackThreadKey = (channel: string, threadTs: string) => `${channel}:${threadTs}`;

/** The link key of a ticket notice in the agents' channel: a reply in its thread finds the ticket (indexed). */
export const noticeLinkKey = (channel: string, ts: string) => `slack-notice:${channel}:${ts}`;
