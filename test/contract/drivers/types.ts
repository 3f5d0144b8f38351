import type { Store } from '../../../server/store/types';
import type { CustomerKey } from '../storage';

/**
 * One interface over the three ways a customer reaches answerdesk — the widget (WebSocket),
 * Slack (signed events to /slack/events, Web API answers recorded by FakeSlack) and Teams
 * (Bot Framework activities to /api/messages, connector calls recorded by FakeConnector) — so
 * the channel contract is written once and run against each.
 *
 * Nothing here assumes when the server answers: every wait polls what the customer would see
 * (frames, posts, activities), bounded, because platform deliveries go through an outbox.
 */

export type ChannelName = 'web' | 'slack' | 'msteams';

/** A customer of one channel: a widget visitor, a Slack member or a Teams member. */
export interface Member {
  /** Readable name for failure messages. */
  readonly label: string;
  /** How storage knows them. */
  readonly key: CustomerKey;
}

/**
 * Where a conversation happens on the channel: a Slack thread, a Teams chat (personal chat or
 * channel thread), a visitor's widget. Opaque to the scenarios.
 */
export interface Thread {
  readonly channel: ChannelName;
  /** Unique within the driver. */
  readonly id: string;
  /** A place other members see (Slack support channel, Teams channel), not a private one. */
  readonly shared: boolean;
}

/** Something the bot (or the team) said on the channel. */
export interface Reply {
  thread: Thread;
  /** The member whose thread it is. */
  member: Member;
  /** All visible text of the message (text, card/blocks text, link targets). */
  text: string;
  /** Button labels, in order. */
  buttons: string[];
  /** The help-centre article the message links to, if any. */
  articleId?: string;
  /** The platform's own object (ApiCall, SentActivity, ChatMessage) for driver use. */
  raw: unknown;
}

/** Something a member sent (typed or pressed), as the handle to wait on. */
export interface Sent {
  member: Member;
  thread: Thread;
  /** The text typed, or the label pressed. */
  text: string;
  /** Platform id of what was sent: widget clientId, Slack ts, Teams activity id. */
  id: string;
  /** How many replies the thread had when it was sent: replies after it are newer. */
  mark: number;
  /** For a press: whose conversation the pressed message belongs to. */
  owner?: Member;
}

/** The refusals every channel must show: too large, too fast, not your button. */
export type RefusalKind = 'too_large' | 'rate_limited' | 'not_allowed';

export interface SendOptions {
  /** Continue in this thread (a follow-up) instead of starting a new one. */
  thread?: Thread;
  /** Start the thread where other members see it (Slack support channel, Teams channel); ignored on the web. */
  shared?: boolean;
}

export interface WaitOptions {
  /** Which reply counts (default: the first newer one). */
  match?: (reply: Reply) => boolean;
  timeoutMs?: number;
}

export interface ChannelDriver {
  readonly channel: ChannelName;
  /** The server's store, for test/contract/storage.ts only. */
  readonly store: Store;
  /** MESSAGE_MAX_BYTES the server runs with. */
  readonly maxBytes: number;

  /** A member never seen before (a new visitor session, a new Slack or Teams member). */
  member(): Promise<Member>;
  /** Sends a message and returns at once (the platform's HTTP answer only, never the bot's). */
  send(member: Member, text: string, options?: SendOptions): Promise<Sent>;
  /** The first reply in the sent message's thread that is newer than it (bounded wait). */
  waitForReply(sent: Sent, options?: WaitOptions): Promise<Reply>;
  /** send + waitForReply. */
  ask(member: Member, text: string, options?: SendOptions & WaitOptions): Promise<Reply>;
  /** A message in the thread of `reply`, and the reply to it. */
  followUp(member: Member, reply: Reply, text: string, options?: WaitOptions): Promise<Reply>;
  /** `by` presses the button labelled `label` on `reply`. */
  press(reply: Reply, label: string, by: Member): Promise<Sent>;
  /** The same platform delivery `times` times (widget: same clientId; Slack: same event_id with retry headers; Teams: same activity id). */
  sendRaw(member: Member, text: string, times: number, options?: SendOptions): Promise<Sent>;
  /** A new member's first messages, all sent at the same moment (widget: one per socket of the same visitor). */
  sendAtOnce(member: Member, texts: string[]): Promise<Sent[]>;
  /** Waits for the channel's way of refusing `sent` (bounded); returns the text the member saw ('' when the channel stays silent). */
  expectRefusal(sent: Sent, kind: RefusalKind): Promise<string>;
  /** Everything said in the thread so far, oldest first (refusals shown only to one member excluded). */
  replies(thread: Thread): Reply[];
  /**
   * A barrier for "nothing happened" checks: a fresh member asks a question and gets the
   * answer, so inputs sent before have been dealt with and their deliveries had their turn.
   */
  settle(): Promise<void>;
  /** Stops the server and the fakes. */
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Polls `probe` until it returns something (bounded); `describe` explains a timeout. */
export async function pollFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number, describe: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe() ? `\n${describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const articleIdIn = (text: string): string | undefined => /\/help\/articles\/([a-z0-9-]+)/.exec(text)?.[1];
