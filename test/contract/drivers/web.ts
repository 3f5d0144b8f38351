import { randomUUID } from 'node:crypto';
import type { Action } from '../../../bot/types';
import { answerButtons, cesOptions, csatOptions, eventText, npsOptions } from '../../../bot/wording';
import type { ChatMessage, ServerFrame } from '../../../server/channels/web/protocol';
import type { Store } from '../../../server/store/types';
import { WidgetClient } from '../../support/widget-client';
import type { Harness } from './harness';
import {
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

/** A widget visitor: one session (token), one or more sockets (tabs). */
class Visitor implements Member {
  readonly clients: WidgetClient[] = [];
  /** Every bot/agent/system message received on any socket, once, in arrival order. */
  readonly seen: ChatMessage[] = [];
  private readonly seenIds = new Set<string>();
  private readonly scanned = new Map<WidgetClient, number>();

  constructor(
    readonly label: string,
    readonly customerId: string,
    readonly token: string,
    readonly thread: Thread,
  ) {}

  get key() {
    return { channel: 'web' as const, customerId: this.customerId };
  }

  /** Pulls newly arrived frames of every socket into `seen`. */
  refresh(): ChatMessage[] {
    for (const client of this.clients) {
      const from = this.scanned.get(client) ?? 0;
      const frames = client.frames;
      for (let i = from; i < frames.length; i++) {
        const f = frames[i]!;
        if (f.type !== 'message' || f.message.author === 'customer' || this.seenIds.has(f.message.id)) continue;
        this.seenIds.add(f.message.id);
        this.seen.push(f.message);
      }
      this.scanned.set(client, frames.length);
    }
    return this.seen;
  }

  frames(): ServerFrame[] {
    return this.clients.flatMap((c) => c.frames);
  }
}

interface WebButton {
  text: string;
  label: string;
  action: Action;
}

/** The buttons the widget shows under a message (chat channels' wording for answers). */
function buttonsOf(message: ChatMessage): WebButton[] {
  const c = message.content;
  switch (c.type) {
    case 'article':
      return c.askFeedback ? answerButtons(c).map((b) => ({ text: b.text, label: b.label, action: b.action })) : [];
    case 'choices':
      return c.choices.map((choice) => ({ text: choice.label, label: choice.label, action: choice.action }));
    case 'ces':
      return cesOptions(c.scale).map((o) => ({ text: o.text, label: o.label, action: { kind: 'ces', score: o.score } }));
    case 'csat':
      return csatOptions(c.scale).map((o) => ({ text: o.text, label: o.label, action: { kind: 'csat', score: o.score } }));
    case 'nps':
      return npsOptions(c.scale).map((o) => ({ text: o.text, label: o.label, action: { kind: 'nps', score: o.score } }));
    default:
      return [];
  }
}

function textOf(message: ChatMessage): string {
  const c = message.content;
  switch (c.type) {
    case 'article':
      return [c.title, c.summary, c.url].join('\n');
    case 'choices':
      return [c.text, ...c.choices.map((x) => x.label)].join('\n');
    case 'ces':
    case 'csat':
    case 'nps':
      return c.question;
    case 'event':
      return eventText(c.event, c.agentName);
    case 'text':
    case 'email_request':
    case 'note':
      return c.text;
    case 'action':
      return c.label;
  }
}

const REFUSAL_CODES: Record<RefusalKind, string> = { too_large: 'message_too_large', rate_limited: 'rate_limited', not_allowed: 'not_allowed' };

/**
 * The widget over real WebSockets (test/support/widget-client.ts). A visitor's thread is the
 * widget itself: a resolved conversation's next message starts the next conversation there.
 */
export class WebDriver implements ChannelDriver {
  readonly channel = 'web' as const;
  private readonly visitors = new Set<Visitor>();
  private count = 0;

  constructor(private readonly harness: Harness) {}

  get store(): Store {
    return this.harness.server.desk.store;
  }

  get maxBytes(): number {
    return this.harness.server.desk.config.messageMaxBytes;
  }

  private visitor(member: Member): Visitor {
    if (!(member instanceof Visitor)) throw new Error(`${member.label} is not a widget visitor`);
    return member;
  }

  private async socket(token: string): Promise<WidgetClient> {
    const client = new WidgetClient(this.harness.server.url);
    client.token = token;
    await client.connect();
    return client;
  }

  async member(): Promise<Member> {
    this.count += 1;
    const first = new WidgetClient(this.harness.server.url);
    const session = await first.session();
    await first.connect();
    const visitor = new Visitor(`visitor #${this.count}`, session.customerId, session.token, { channel: 'web', id: `widget:${session.customerId}`, shared: false });
    visitor.clients.push(first);
    this.visitors.add(visitor);
    return visitor;
  }

  private sent(visitor: Visitor, text: string, id: string, owner?: Member): Sent {
    return { member: visitor, thread: visitor.thread, text, id, mark: visitor.refresh().length, ...(owner ? { owner } : {}) };
  }

  async send(member: Member, text: string, _options: SendOptions = {}): Promise<Sent> {
    const visitor = this.visitor(member);
    const sent = this.sent(visitor, text, randomUUID());
    visitor.clients[0]!.say(text, sent.id);
    return sent;
  }

  async waitForReply(sent: Sent, options: WaitOptions = {}): Promise<Reply> {
    const visitor = this.visitor(sent.member);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return pollFor(
      () => {
        const frames = visitor.frames();
        const refused = frames.find((f) => f.type === 'error' && f.clientId === sent.id);
        if (refused) throw new Error(`"${sent.text.slice(0, 40)}" was refused: ${JSON.stringify(refused)}`);
        const ack = frames.find((f): f is Extract<ServerFrame, { type: 'ack' }> => f.type === 'ack' && f.clientId === sent.id);
        if (!ack) return undefined;
        return visitor
          .refresh()
          .filter((m) => m.conversationId === ack.conversationId && m.seq > ack.seq)
          .map((m) => this.toReply(visitor, m))
          .find((r) => !options.match || options.match(r));
      },
      `the widget's reply to "${sent.text.slice(0, 60)}" (${visitor.label})`,
      timeoutMs,
      () => `frames:\n${visitor.frames().map((f) => JSON.stringify(f).slice(0, 300)).join('\n')}`,
    );
  }

  async ask(member: Member, text: string, options: SendOptions & WaitOptions = {}): Promise<Reply> {
    return this.waitForReply(await this.send(member, text, options), options);
  }

  async followUp(member: Member, reply: Reply, text: string, options: WaitOptions = {}): Promise<Reply> {
    return this.ask(member, text, { ...options, thread: reply.thread });
  }

  async press(reply: Reply, label: string, by: Member): Promise<Sent> {
    const message = reply.raw as ChatMessage;
    const button = buttonsOf(message).find((b) => b.text === label);
    if (!button) throw new Error(`no "${label}" button on ${JSON.stringify(message.content)}`);
    const presser = this.visitor(by);
    const sent = this.sent(presser, button.label, randomUUID(), reply.member);
    // The contract's optional conversationId: which conversation the pressed message is in.
    presser.clients[0]!.send({ type: 'action', clientId: sent.id, action: button.action, label: button.label, conversationId: message.conversationId });
    return sent;
  }

  async sendRaw(member: Member, text: string, times: number): Promise<Sent> {
    const visitor = this.visitor(member);
    const sent = this.sent(visitor, text, randomUUID());
    for (let i = 0; i < times; i++) visitor.clients[0]!.say(text, sent.id);
    return sent;
  }

  async sendAtOnce(member: Member, texts: string[]): Promise<Sent[]> {
    const visitor = this.visitor(member);
    // One socket per message, like tabs of the same visitor, all connected before anything is sent.
    const missing = Math.max(0, texts.length - visitor.clients.length);
    visitor.clients.push(...(await Promise.all(Array.from({ length: missing }, () => this.socket(visitor.token)))));
    const sents = texts.map((text) => this.sent(visitor, text, randomUUID()));
    sents.forEach((s, i) => visitor.clients[i]!.say(s.text, s.id));
    return sents;
  }

  async expectRefusal(sent: Sent, kind: RefusalKind): Promise<string> {
    const visitor = this.visitor(sent.member);
    const code = REFUSAL_CODES[kind];
    const frame = await pollFor(
      () =>
        visitor.frames().find((f): f is Extract<ServerFrame, { type: 'error' }> => f.type === 'error' && f.code === code && (f.clientId === undefined || f.clientId === sent.id)),
      `an error frame "${code}" for "${sent.text.slice(0, 40)}"`,
      DEFAULT_TIMEOUT_MS,
      () => `frames:\n${visitor.frames().map((f) => JSON.stringify(f).slice(0, 300)).join('\n')}`,
    );
    return frame.message;
  }

  replies(thread: Thread): Reply[] {
    const visitor = [...this.visitors].find((v) => v.thread.id === thread.id);
    if (!visitor) return [];
    return visitor.refresh().map((m) => this.toReply(visitor, m));
  }

  private toReply(visitor: Visitor, message: ChatMessage): Reply {
    const articleId = message.content.type === 'article' ? message.content.articleId : undefined;
    return {
      thread: visitor.thread,
      member: visitor,
      text: textOf(message),
      buttons: buttonsOf(message).map((b) => b.text),
      ...(articleId ? { articleId } : {}),
      raw: message,
    };
  }

  async settle(): Promise<void> {
    const sentinel = await this.member();
    await this.ask(sentinel, 'How do I reset my password?');
    this.dropVisitor(sentinel);
  }

  private dropVisitor(member: Member): void {
    const visitor = this.visitor(member);
    for (const c of visitor.clients) c.close();
    this.visitors.delete(visitor);
  }

  async close(): Promise<void> {
    for (const v of [...this.visitors]) this.dropVisitor(v);
    await this.harness.close();
  }
}
