import type { Conversation, Customer, Store, Ticket } from '../../store/types';

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

/** How far back a member's threads are looked up (per member, newest first). */
const THREAD_LOOKBACK = 200;

/** The member's conversation in this thread (the newest one, if the thread had several). */
export async function conversationInThread(store: Store, customer: Customer, channel: string, threadTs: string): Promise<Conversation | undefined> {
  const conversations = await store.listConversationsOfCustomer(customer.id, THREAD_LOOKBACK);
  return conversations.find((c) => {
    const ref = slackRef(c);
    return c.channel === 'slack' && ref?.channel === channel && ref.threadTs === threadTs;
  });
}

/**
 * Notice ts → ticket, for replies typed in an agents' thread. Remembered in memory and, after
 * a restart (or on another instance), found again from the tickets' conversations.
 */
export class NoticeIndex {
  private readonly byNotice = new Map<string, string>();
  /** Threads recently found not to be notices, so chatter in other threads costs one scan a minute. */
  private readonly misses = new Map<string, number>();

  constructor(private readonly store: Store) {}

  remember(channel: string, ts: string, ticketId: string): void {
    this.byNotice.set(`${channel}:${ts}`, ticketId);
  }

  async ticketFor(channel: string, ts: string): Promise<Ticket | undefined> {
    const known = this.byNotice.get(`${channel}:${ts}`);
    if (known) return this.store.getTicket(known);
    const key = `${channel}:${ts}`;
    if ((this.misses.get(key) ?? 0) > Date.now()) return undefined;
    const tickets = await this.store.listTickets({ channel: 'slack', limit: 1000 });
    for (const ticket of tickets) {
      const conversation = await this.store.getConversation(ticket.conversationId);
      const notice = conversation && slackRef(conversation)?.notice;
      if (notice) this.remember(notice.channel, notice.ts, notice.ticketId);
      if (notice && notice.channel === channel && notice.ts === ts) return this.store.getTicket(notice.ticketId);
    }
    if (this.misses.size > 10_000) this.misses.clear();
    this.misses.set(key, Date.now() + 60_000);
    return undefined;
  }
}
