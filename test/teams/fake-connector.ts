import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Bot Framework connector on 127.0.0.1 — the `serviceUrl` of every test activity. It
 * records what the bot sends (proactive posts and replies) and builds the activities Teams
 * would post to the bot's /api/messages.
 */

export const BOT_ID = '28:answerdesk-bot';
export const BOT_NAME = 'answerdesk';
export const TENANT_ID = '72f988bf-0000-0000-0000-000000000000';

export interface SentActivity {
  /** Connector call: 'send' (POST …/activities), 'reply' (POST …/activities/:replyToId), 'update' (PUT). */
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  replyToId?: string;
  /** The id the fake gave the activity. */
  id: string;
  authorization: string | undefined;
  activity: BotActivity;
}

/** The parts of a Bot Framework activity the tests read and write. */
export interface BotActivity {
  type: string;
  id?: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  value?: unknown;
  replyToId?: string;
  attachments?: { contentType: string; content: AdaptiveCardJson }[];
  [key: string]: unknown;
}

export interface AdaptiveCardJson {
  type: string;
  version: string;
  body: CardNode[];
  actions?: CardNode[];
}

export interface CardNode {
  type: string;
  [key: string]: unknown;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId?: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let activitySeq = 0;
/** A Teams-looking message id, unique in this process. */
export function nextActivityId(): string {
  activitySeq += 1;
  return `17000000${String(activitySeq).padStart(5, '0')}`;
}

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  /** Requests for anything the fake does not implement. */
  readonly unknown: string[] = [];
  /** Where activities go: `${answerdesk}/api/messages`. */
  target = '';
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    let fake: FakeConnector | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'fake_failed', message: String(err) } }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    fake = new FakeConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return fake;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // v3/conversations/:conversationId/activities[/:activityId]
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[2] && parts[3] === 'activities' && parts.length <= 5) {
      const activity = JSON.parse(raw || '{}') as BotActivity;
      const replyTo = parts[4];
      if (req.method === 'POST' || (req.method === 'PUT' && replyTo)) {
        this.seq += 1;
        const id = req.method === 'PUT' ? replyTo! : `bot-activity-${this.seq}`;
        this.sent.push({
          kind: req.method === 'PUT' ? 'update' : replyTo ? 'reply' : 'send',
          conversationId: parts[2],
          ...(replyTo && req.method === 'POST' ? { replyToId: replyTo } : {}),
          id,
          authorization: req.headers.authorization,
          activity,
        });
        return { status: 200, body: { id } };
      }
    }
    if (req.method === 'GET' && parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'members') {
      return { status: 200, body: [] };
    }
    this.unknown.push(`${req.method} ${url.pathname}`);
    return { status: 404, body: { error: { code: 'NotFound', message: 'not in the fake' } } };
  }

  /** POST an activity to the bot, as the Bot Framework service would (no token: development mode). */
  async post(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  }

  /** What the bot sent to one Teams conversation, in order. */
  to(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }

  /** Waits (bounded) for the bot to send something matching. */
  async waitFor(predicate: (s: SentActivity) => boolean, what: string, timeoutMs = 10_000): Promise<SentActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.sent.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.sent.map((s) => `${s.conversationId}: ${s.activity.text ?? s.activity.summary ?? s.activity.type}`).join('\n  ');
        throw new Error(`timed out waiting for ${what}; the bot sent:\n  ${seen || '(nothing)'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // --- activities from Teams ------------------------------------------------------------

  /** A personal-chat message (or card submission) from `member`. */
  personal(member: Member, conversationId: string, fields: Partial<BotActivity>): Record<string, unknown> {
    return this.activity(member, { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID }, fields);
  }

  /** A message in a channel thread. */
  channel(member: Member, conversationId: string, fields: Partial<BotActivity>): Record<string, unknown> {
    return this.activity(member, { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }, fields, {
      teamsChannelId: conversationId.split(';')[0],
      teamsTeamId: '19:team@thread.tacv2',
      channel: { id: conversationId.split(';')[0] },
    });
  }

  activity(member: Member, conversation: Record<string, unknown>, fields: Partial<BotActivity>, channelData: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'message',
      id: nextActivityId(),
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.url,
      from: { id: member.id, name: member.name, ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}) },
      recipient: { id: BOT_ID, name: BOT_NAME },
      conversation,
      channelData: { tenant: { id: TENANT_ID }, ...channelData },
      locale: 'en-US',
      textFormat: 'plain',
      ...fields,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The Adaptive Card of a sent activity, if it has one. */
export function cardOf(sent: SentActivity): AdaptiveCardJson | undefined {
  const attachment = sent.activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content;
}

/** Every action of a card, wherever it sits (card actions or ActionSets in the body). */
export function actionsOf(card: AdaptiveCardJson): CardNode[] {
  const inBody = card.body.filter((n) => n.type === 'ActionSet').flatMap((n) => (n.actions as CardNode[]) ?? []);
  return [...(card.actions ?? []), ...inBody];
}

/** The `Action.Submit` button titled `title`. */
export function submitButton(card: AdaptiveCardJson, title: string): CardNode & { data: Record<string, unknown> } {
  const action = actionsOf(card).find((a) => a.type === 'Action.Submit' && a.title === title);
  if (!action) throw new Error(`no "${title}" button on the card: ${JSON.stringify(card)}`);
  return action as CardNode & { data: Record<string, unknown> };
}
