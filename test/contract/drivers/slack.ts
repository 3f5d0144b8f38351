import type { Store } from '../../../server/store/types';
import { allText, type ApiCall, buttons, nextTs } from '../../slack/fake-slack';
import type { Harness } from './harness';
import {
  articleIdIn,
  type ChannelDriver,
  DEFAULT_TIMEOUT_MS,
  type Member,
  pollFor,
  type RefusalKind,
  type Reply,
  type SendOptions,
  type Sent,
  type Thread,
  type WaitOptions,
} from './types';

/** The support channel every member can see (SLACK_SUPPORT_CHANNELS). */
export const SUPPORT_CHANNEL = 'C_SUPPORT';

class SlackMember implements Member {
  constructor(
    readonly label: string,
    /** Slack user id. */
    readonly id: string,
  ) {}

  get key() {
    return { channel: 'slack' as const, externalId: this.id };
  }

  /** The member's DM with the bot. */
  get dm(): string {
    return `D${this.id.slice(1)}`;
  }
}

interface SlackThread extends Thread {
  channel: 'slack';
  /** Slack channel (C… or D…). */
  slackChannel: string;
  /** The thread's parent ts. */
  ts: string;
}

/**
 * Slack through FakeSlack: members write signed Events API `message` events (DMs, or the
 * support channel when shared), press buttons with block_actions; the bot's answers are the
 * chat.postMessage calls the fake recorded in the thread, its refusals chat.postEphemeral.
 */
export class SlackDriver implements ChannelDriver {
  readonly channel = 'slack' as const;
  private count = 0;
  /** Thread id → the member whose message started it. */
  private readonly owners = new Map<string, Member>();

  constructor(private readonly harness: Harness) {}

  get store(): Store {
    return this.harness.server.desk.store;
  }

  get maxBytes(): number {
    return this.harness.server.desk.config.messageMaxBytes;
  }

  private get fake() {
    return this.harness.slack;
  }

  private slackMember(member: Member): SlackMember {
    if (!(member instanceof SlackMember)) throw new Error(`${member.label} is not a Slack member`);
    return member;
  }

  async member(): Promise<Member> {
    this.count += 1;
    const id = `UM${String(this.count).padStart(5, '0')}`;
    this.fake.addUser({ id, name: `Member ${this.count}`, email: `member${this.count}@customer.test` });
    return new SlackMember(`Slack member ${id}`, id);
  }

  private thread(slackChannel: string, ts: string, shared: boolean): SlackThread {
    return { channel: 'slack', id: `${slackChannel}/${ts}`, shared, slackChannel, ts };
  }

  /** The event a member's message arrives as, and the thread it belongs to. */
  private event(member: SlackMember, text: string, options: SendOptions): { event: Record<string, unknown>; thread: SlackThread; ts: string } {
    const ts = nextTs();
    const parent = options.thread as SlackThread | undefined;
    const shared = parent ? parent.shared : !!options.shared;
    const channel = parent ? parent.slackChannel : shared ? SUPPORT_CHANNEL : member.dm;
    const event = {
      type: 'message',
      channel,
      channel_type: shared ? 'channel' : 'im',
      user: member.id,
      text,
      ts,
      team: 'T0TEST',
      ...(parent ? { thread_ts: parent.ts } : {}),
    };
    const thread = parent ?? this.thread(channel, ts, shared);
    if (!parent) this.owners.set(thread.id, member);
    return { event, thread, ts };
  }

  private mark(thread: SlackThread): number {
    return this.fake.posts({ channel: thread.slackChannel, threadTs: thread.ts }).length;
  }

  async send(member: Member, text: string, options: SendOptions = {}): Promise<Sent> {
    const m = this.slackMember(member);
    const { event, thread, ts } = this.event(m, text, options);
    const sent: Sent = { member, thread, text, id: ts, mark: this.mark(thread) };
    const res = await this.fake.sendEvent(event);
    if (res.status !== 200) throw new Error(`Slack event refused with ${res.status}: ${await res.text()}`);
    return sent;
  }

  async waitForReply(sent: Sent, options: WaitOptions = {}): Promise<Reply> {
    const thread = sent.thread as SlackThread;
    return pollFor(
      () => this.replies(thread).slice(sent.mark).find((r) => !options.match || options.match(r)),
      `the bot's post in ${thread.id} answering "${sent.text.slice(0, 60)}"`,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      () => this.callLog(),
    );
  }

  async ask(member: Member, text: string, options: SendOptions & WaitOptions = {}): Promise<Reply> {
    return this.waitForReply(await this.send(member, text, options), options);
  }

  async followUp(member: Member, reply: Reply, text: string, options: WaitOptions = {}): Promise<Reply> {
    return this.ask(member, text, { ...options, thread: reply.thread });
  }

  async press(reply: Reply, label: string, by: Member): Promise<Sent> {
    const presser = this.slackMember(by);
    const thread = reply.thread as SlackThread;
    const sent: Sent = { member: by, thread, text: label, id: '', mark: this.mark(thread), owner: reply.member };
    const res = await this.fake.click(reply.raw as ApiCall, label, presser.id);
    if (res.status !== 200) throw new Error(`Slack interaction refused with ${res.status}: ${await res.text()}`);
    return sent;
  }

  /** Slack's retries: the same event_id again, with X-Slack-Retry-Num, after the first delivery was answered. */
  async sendRaw(member: Member, text: string, times: number, options: SendOptions = {}): Promise<Sent> {
    const m = this.slackMember(member);
    const { event, thread, ts } = this.event(m, text, options);
    const sent: Sent = { member, thread, text, id: ts, mark: this.mark(thread) };
    const eventId = this.fake.newEventId();
    for (let i = 0; i < times; i++) {
      const res = await this.fake.sendEvent(event, { eventId, ...(i > 0 ? { retryNum: i } : {}) });
      if (res.status !== 200) throw new Error(`Slack retry ${i} refused with ${res.status}`);
    }
    return sent;
  }

  /** Top-level DM messages, all at once: each starts its own thread. */
  async sendAtOnce(member: Member, texts: string[]): Promise<Sent[]> {
    return Promise.all(texts.map((text) => this.send(member, text)));
  }

  async expectRefusal(sent: Sent, kind: RefusalKind): Promise<string> {
    const thread = sent.thread as SlackThread;
    const user = this.slackMember(sent.member).id;
    const phrase =
      kind === 'too_large'
        ? `limited to ${this.maxBytes} bytes`
        : kind === 'rate_limited'
          ? 'too quickly'
          : `These buttons are for <@${this.slackMember(sent.owner!).id}>`;
    const call = await this.fake.waitForCall(
      (c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.args.channel === thread.slackChannel && c.args.thread_ts === thread.ts && String(c.args.text ?? '').includes(phrase),
      `an ephemeral "${phrase}" to ${user} in ${thread.id}`,
      DEFAULT_TIMEOUT_MS,
    );
    return String(call.args.text);
  }

  replies(thread: Thread): Reply[] {
    const t = thread as SlackThread;
    return this.fake.posts({ channel: t.slackChannel, threadTs: t.ts }).map((call) => this.toReply(t, call));
  }

  private toReply(thread: SlackThread, call: ApiCall): Reply {
    const text = allText(call);
    const articleId = articleIdIn(text);
    const member = this.owners.get(thread.id);
    if (!member) throw new Error(`no member started ${thread.id}`);
    return { thread, member, text, buttons: buttons(call).map((b) => b.text.text), ...(articleId ? { articleId } : {}), raw: call };
  }

  private callLog(): string {
    return `Slack calls:\n${this.fake.calls.map((c) => `${c.method} ${String(c.args.channel ?? '')} ${String(c.args.thread_ts ?? '')} ${String(c.args.text ?? '').slice(0, 80)}`).join('\n')}`;
  }

  async settle(): Promise<void> {
    const sentinel = await this.member();
    await this.ask(sentinel, 'How do I reset my password?');
  }

  async close(): Promise<void> {
    await this.harness.close();
  }
}
