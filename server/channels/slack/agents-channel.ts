import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { hashPassword } from '../../auth/passwords';
import type { ConversationService } from '../../conversations';
import { DomainError } from '../../domain/errors';
import type { MessageContent } from '../../domain/transcript';
import type { Agent, Conversation, Store, Ticket } from '../../store/types';
import type { SlackApi } from './api';
import { escapeMrkdwn, renderNotice } from './render';
import { noticeLinkKey, slackRef, type SlackRef } from './refs';

export interface AgentsChannelDeps {
  store: Store;
  service: ConversationService;
  api: SlackApi;
  log: Logger;
  /** SLACK_AGENTS_CHANNEL; without it there are no notices and agents work in the console only. */
  channel: string | undefined;
  consoleUrl: string;
}

/** Messages that close a ticket when typed in its agents' thread. */
const RESOLVE_WORDS = /^\s*[!/]?resolve\s*$/i;

/**
 * The agents' side in Slack: a notice per escalated Slack conversation with a Claim button,
 * replies typed in the notice's thread relayed to the member, `resolve`. It only translates;
 * claiming, replying and resolving are the ConversationService's, exactly as from the console.
 */
export class AgentsChannel {
  private readonly agentIds = new Map<string, string>();

  constructor(private readonly deps: AgentsChannelDeps) {}

  get channel(): string | undefined {
    return this.deps.channel;
  }

  // --- the notice -----------------------------------------------------------------------

  /** A system event of a Slack conversation: post or update the notice. */
  async onEvent(conversation: Conversation, content: Extract<MessageContent, { type: 'event' }>): Promise<void> {
    if (!this.deps.channel) return;
    const ref = slackRef(conversation);
    if (!ref) return;
    const who = content.agentName ?? 'an agent';
    switch (content.event) {
      case 'escalated':
        return this.postNotice(conversation, ref);
      case 'assigned':
        return this.updateNotice(ref, `Claimed by ${who}`);
      case 'resolved':
        await this.updateNotice(ref, `Resolved by ${who}`);
        return this.toThread(ref, `_Resolved by ${escapeMrkdwn(who)}. The member was asked how easy it was._`);
      case 'reopened':
        return this.toThread(ref, `_Reopened by ${escapeMrkdwn(who)}._`);
    }
  }

  private async postNotice(conversation: Conversation, ref: SlackRef): Promise<void> {
    const { store, api, log } = this.deps;
    const ticket = await store.tickets.byConversation(conversation.id);
    if (!ticket || !this.deps.channel) return;
    const rendered = renderNotice({ ticket, customerUser: ref.user, consoleUrl: this.deps.consoleUrl });
    const ts = await api.post({ channel: this.deps.channel, text: rendered.text, blocks: rendered.blocks });
    if (!ts) return;
    await store.conversations.link(noticeLinkKey(this.deps.channel, ts), conversation.id, ticket.id);
    // Re-read: the ref may have changed while the notice was on its way.
    const fresh = (await store.conversations.get(conversation.id)) ?? conversation;
    const current = slackRef(fresh) ?? ref;
    await store.conversations.update(conversation.id, { channelRef: { ...current, notice: { channel: this.deps.channel, ts, ticketId: ticket.id } } });
    log.info({ ticketId: ticket.id, conversationId: conversation.id }, 'Slack ticket notice posted');
  }

  private async updateNotice(ref: SlackRef, status: string): Promise<void> {
    const notice = ref.notice;
    if (!notice) return;
    const ticket = await this.deps.store.tickets.get(notice.ticketId);
    if (!ticket) return;
    const rendered = renderNotice({ ticket, customerUser: ref.user, consoleUrl: this.deps.consoleUrl, status });
    await this.deps.api.update(notice.channel, notice.ts, rendered.text, rendered.blocks);
  }

  /** A line in the notice's thread (member follow-ups, console replies, state changes). */
  async toThread(ref: SlackRef, mrkdwn: string): Promise<void> {
    if (!ref.notice) return;
    await this.deps.api.post({ channel: ref.notice.channel, threadTs: ref.notice.ts, text: mrkdwn });
  }

  // --- who is acting --------------------------------------------------------------------

  /**
   * The answerdesk agent behind a Slack user: matched by email (users.info); someone new gets
   * an agent account (role agent) with a random password nobody knows, so it can act from
   * Slack only until an admin sets one.
   */
  async agentFor(userId: string): Promise<Agent> {
    const { store, api, log } = this.deps;
    const known = this.agentIds.get(userId);
    if (known) {
      const agent = await store.agents.get(known);
      if (agent) return agent;
    }
    const profile = await api.user(userId);
    const email = (profile?.email ?? `${userId.toLowerCase()}@slack.answerdesk.invalid`).toLowerCase();
    let agent = await store.agents.byEmail(email);
    if (!agent) {
      try {
        agent = await store.agents.create({
          email,
          name: profile?.name ?? `Slack ${userId}`,
          role: 'agent',
          passwordHash: await hashPassword(randomBytes(32).toString('hex')),
        });
        log.info({ agentId: agent.id, slackUser: userId }, 'created an agent for a Slack user');
      } catch (err) {
        // Created concurrently (two clicks at once): use the one that won.
        agent = await store.agents.byEmail(email);
        if (!agent) throw err;
      }
    }
    this.agentIds.set(userId, agent.id);
    return agent;
  }

  // --- what agents do in Slack ----------------------------------------------------------

  /** Tells the acting agent something only they see (an ephemeral message or a command response). */
  ephemeralTo(user: string, where: { channel: string; threadTs?: string }): Tell {
    return (text) => this.deps.api.ephemeral(where.channel, user, text, where.threadTs);
  }

  /** The Claim button. Already claimed → the clicker learns by whom (only they see it). */
  async claim(ticketId: string, user: string, tell: Tell): Promise<boolean> {
    const agent = await this.agentFor(user);
    // On success the notice changes to "Claimed by …" when the 'assigned' event is delivered.
    return this.attempt(() => this.deps.service.claim(ticketId, agent), tell);
  }

  async resolve(ticketId: string, user: string, tell: Tell): Promise<boolean> {
    const agent = await this.agentFor(user);
    return this.attempt(() => this.deps.service.resolve(ticketId, agent), tell);
  }

  /**
   * A message in the agents' channel. Replies in a notice's thread go to the member
   * (`resolve` closes the ticket); everything else is the agents' own chatter.
   */
  async onMessage(event: { channel: string; user: string; text: string; ts: string; thread_ts?: string }): Promise<void> {
    if (!event.thread_ts || event.thread_ts === event.ts) return;
    const link = await this.deps.store.conversations.byLink(noticeLinkKey(event.channel, event.thread_ts));
    const ticket = link?.ticketId ? await this.deps.store.tickets.get(link.ticketId) : undefined;
    if (!ticket) return;
    const tell = this.ephemeralTo(event.user, { channel: event.channel, threadTs: event.thread_ts });
    if (RESOLVE_WORDS.test(event.text)) {
      await this.resolve(ticket.id, event.user, tell);
      return;
    }
    const text = event.text.trim();
    if (!text) return;
    const agent = await this.agentFor(event.user);
    // The clientId marks it as typed in Slack: the outbound channel does not echo it back here.
    await this.attempt(() => this.deps.service.agentReply(ticket.id, agent, text, `slack:${event.channel}:${event.ts}`), tell);
  }

  /** `/answerdesk resolve <ticket id>`, `/answerdesk claim <ticket id>`, `/answerdesk help`. */
  async command(input: { text: string; user: string }, tell: Tell): Promise<void> {
    const [verb = 'help', id] = input.text.trim().split(/\s+/);
    if ((verb === 'resolve' || verb === 'claim') && id) {
      const ticket = await this.findTicket(id);
      if (!ticket) return tell(`No ticket \`${escapeMrkdwn(id)}\`.`);
      const done = verb === 'claim' ? await this.claim(ticket.id, input.user, tell) : await this.resolve(ticket.id, input.user, tell);
      if (done) await tell(`Ticket \`${ticket.id}\` ${verb === 'claim' ? 'is yours' : 'is resolved; the member was asked for feedback'}.`);
      return;
    }
    return tell(
      'Usage: `/answerdesk resolve <ticket id>` or `/answerdesk claim <ticket id>`. ' +
        "In a ticket's thread in the agents' channel, replies go to the member and `resolve` closes the ticket.",
    );
  }

  private async findTicket(id: string): Promise<Ticket | undefined> {
    if (!/^[0-9a-f-]{6,36}$/i.test(id)) return undefined;
    const exact = await this.deps.store.tickets.get(id.toLowerCase());
    if (exact) return exact;
    // A prefix of the id is enough while it is unambiguous (an index range, not a scan).
    const matches = await this.deps.store.tickets.byIdPrefix(id.toLowerCase(), 2);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Refusals from the service (already claimed, someone else's, not found) go to the agent only. */
  private async attempt(run: () => Promise<unknown>, tell: Tell): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (err) {
      if (err instanceof DomainError) {
        await tell(`${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`);
        return false;
      }
      throw err;
    }
  }
}

export type Tell = (text: string) => Promise<void>;
