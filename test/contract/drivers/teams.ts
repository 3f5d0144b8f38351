import type { Store } from '../../../server/store/types';
import { actionsOf, BOT_ID, BOT_NAME, cardOf, type Member as TeamsAccount, nextActivityId, type SentActivity, submitButton } from '../../teams/fake-connector';
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

class TeamsMember implements Member {
  constructor(
    readonly label: string,
    readonly account: TeamsAccount,
  ) {}

  get key() {
    // answerdesk knows a Teams member by their Entra ID object id.
    return { channel: 'msteams' as const, externalId: this.account.aadObjectId! };
  }

  /** The member's personal chat with the bot. */
  get chat(): string {
    return `a:1personal-${this.account.aadObjectId}`;
  }
}

interface TeamsThread extends Thread {
  channel: 'msteams';
  /** Teams conversation id: a personal chat, or a channel thread (`19:…;messageid=…`). */
  conversationId: string;
}

const MENTION = `<at>${BOT_NAME}</at>`;

/**
 * Teams through FakeConnector in development mode (no credentials): members post message
 * activities (personal chat, or a channel thread with an @mention when shared) and press
 * Action.Submit buttons (a message with `value`); the bot's answers are the activities the
 * fake connector received for that Teams conversation.
 */
export class TeamsDriver implements ChannelDriver {
  readonly channel = 'msteams' as const;
  private count = 0;
  private readonly owners = new Map<string, Member>();

  constructor(private readonly harness: Harness) {}

  get store(): Store {
    return this.harness.server.desk.store;
  }

  get maxBytes(): number {
    return this.harness.server.desk.config.messageMaxBytes;
  }

  private get fake() {
    return this.harness.teams;
  }

  private teamsMember(member: Member): TeamsMember {
    if (!(member instanceof TeamsMember)) throw new Error(`${member.label} is not a Teams member`);
    return member;
  }

  async member(): Promise<Member> {
    this.count += 1;
    const n = String(this.count).padStart(5, '0');
    return new TeamsMember(`Teams member ${n}`, { id: `29:contract-member-${n}`, name: `Member ${n}`, aadObjectId: `aad-contract-${n}` });
  }

  private thread(conversationId: string, shared: boolean, owner: Member): TeamsThread {
    const thread: TeamsThread = { channel: 'msteams', id: conversationId, shared, conversationId };
    if (!this.owners.has(thread.id)) this.owners.set(thread.id, owner);
    return thread;
  }

  /** The activity for a member's message (or card submission) in `thread`. */
  private activity(member: TeamsMember, thread: TeamsThread, fields: { text?: string; value?: unknown; replyToId?: string }): Record<string, unknown> {
    if (!thread.shared) return this.fake.personal(member.account, thread.conversationId, fields);
    // In a channel the bot only hears messages that @mention it.
    const withMention =
      fields.text !== undefined ? { ...fields, text: `${MENTION} ${fields.text}`, entities: [{ type: 'mention', mentioned: { id: BOT_ID, name: BOT_NAME }, text: MENTION }] } : fields;
    return this.fake.channel(member.account, thread.conversationId, withMention);
  }

  private threadFor(member: TeamsMember, options: SendOptions): TeamsThread {
    if (options.thread) return options.thread as TeamsThread;
    if (options.shared) return this.thread(`19:contract-support@thread.tacv2;messageid=${nextActivityId()}`, true, member);
    return this.thread(member.chat, false, member);
  }

  private mark(thread: TeamsThread): number {
    return this.replies(thread).length;
  }

  private async post(activity: Record<string, unknown>): Promise<void> {
    const res = await this.fake.post(activity);
    if (res.status !== 200) throw new Error(`Teams activity refused with ${res.status}: ${await res.text()}`);
  }

  async send(member: Member, text: string, options: SendOptions = {}): Promise<Sent> {
    const m = this.teamsMember(member);
    const thread = this.threadFor(m, options);
    const activity = this.activity(m, thread, { text });
    const sent: Sent = { member, thread, text, id: String(activity.id), mark: this.mark(thread) };
    await this.post(activity);
    return sent;
  }

  async waitForReply(sent: Sent, options: WaitOptions = {}): Promise<Reply> {
    const thread = sent.thread as TeamsThread;
    return pollFor(
      () => this.replies(thread).slice(sent.mark).find((r) => !options.match || options.match(r)),
      `the bot's message in ${thread.conversationId} answering "${sent.text.slice(0, 60)}"`,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      () => this.sentLog(),
    );
  }

  async ask(member: Member, text: string, options: SendOptions & WaitOptions = {}): Promise<Reply> {
    return this.waitForReply(await this.send(member, text, options), options);
  }

  async followUp(member: Member, reply: Reply, text: string, options: WaitOptions = {}): Promise<Reply> {
    return this.ask(member, text, { ...options, thread: reply.thread });
  }

  async press(reply: Reply, label: string, by: Member): Promise<Sent> {
    const presser = this.teamsMember(by);
    const thread = reply.thread as TeamsThread;
    const raw = reply.raw as SentActivity;
    const card = cardOf(raw);
    if (!card) throw new Error(`no card to press "${label}" on: ${JSON.stringify(raw.activity)}`);
    const activity = this.activity(presser, thread, { value: submitButton(card, label).data, replyToId: raw.id });
    const sent: Sent = { member: by, thread, text: label, id: String(activity.id), mark: this.mark(thread), owner: reply.member };
    await this.post(activity);
    return sent;
  }

  /** The same activity (same id) posted `times` times at once, as Teams does when it retries. */
  async sendRaw(member: Member, text: string, times: number, options: SendOptions = {}): Promise<Sent> {
    const m = this.teamsMember(member);
    const thread = this.threadFor(m, options);
    const activity = this.activity(m, thread, { text });
    const sent: Sent = { member, thread, text, id: String(activity.id), mark: this.mark(thread) };
    await Promise.all(Array.from({ length: times }, () => this.post(activity)));
    return sent;
  }

  /** Messages in the member's personal chat, all at once. */
  async sendAtOnce(member: Member, texts: string[]): Promise<Sent[]> {
    return Promise.all(texts.map((text) => this.send(member, text)));
  }

  async expectRefusal(sent: Sent, kind: RefusalKind): Promise<string> {
    const thread = sent.thread as TeamsThread;
    if (kind === 'not_allowed') {
      // Teams has no private "only you can see this": someone else's press is ignored silently.
      await this.settle();
      const after = this.replies(thread).slice(sent.mark);
      if (after.length) throw new Error(`a press by ${sent.member.label} on someone else's card was answered: ${after.map((r) => r.text).join(' | ')}`);
      return '';
    }
    const phrase = kind === 'too_large' ? `limited to ${this.maxBytes} bytes` : 'too quickly';
    const found = await pollFor(
      () => this.fake.to(thread.conversationId).find((s) => s.kind !== 'update' && typeof s.activity.text === 'string' && s.activity.text.includes(phrase)),
      `a message "${phrase}" in ${thread.conversationId}`,
      DEFAULT_TIMEOUT_MS,
      () => this.sentLog(),
    );
    return String(found.activity.text);
  }

  replies(thread: Thread): Reply[] {
    const t = thread as TeamsThread;
    const member = this.owners.get(t.id);
    return this.fake
      .to(t.conversationId)
      .filter((s) => s.kind !== 'update')
      .map((s) => {
        const card = cardOf(s);
        const actions = card ? actionsOf(card) : [];
        const parts = [
          s.activity.text ?? '',
          s.activity.summary ?? '',
          ...(card ? card.body.filter((n) => n.type === 'TextBlock').map((n) => String(n.text)) : []),
          ...actions.filter((a) => a.type === 'Action.OpenUrl').map((a) => String(a.url)),
        ];
        const text = parts.filter(Boolean).join('\n');
        const articleId = articleIdIn(text);
        if (!member) throw new Error(`no member started ${t.id}`);
        return {
          thread: t,
          member,
          text,
          buttons: actions.filter((a) => a.type === 'Action.Submit').map((a) => String(a.title)),
          ...(articleId ? { articleId } : {}),
          raw: s,
        };
      });
  }

  private sentLog(): string {
    return `the bot sent:\n${this.fake.sent.map((s) => `${s.conversationId} ${s.kind}: ${(s.activity.text ?? s.activity.summary ?? s.activity.type).slice(0, 100)}`).join('\n') || '(nothing)'}`;
  }

  async settle(): Promise<void> {
    const sentinel = await this.member();
    await this.ask(sentinel, 'How do I reset my password?');
  }

  async close(): Promise<void> {
    await this.harness.close();
  }
}
