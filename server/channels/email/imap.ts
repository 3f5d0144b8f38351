import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { EmailConfig } from '../../config';
import type { EmailInbound } from './inbound';

/** Set on every message we have taken, so neither we nor another instance takes it again (and people reading the mailbox can still mark mail read or unread). */
export const TAKEN_KEYWORD = '$AnswerdeskTaken';
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;

export interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** `imaps://support%40example.com:pass@imap.example.com/INBOX` → connection settings. */
export function parseImapUrl(url: string): ImapTarget {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

/**
 * Polls an existing mailbox: new mail is announced by IDLE where the server supports it
 * (imapflow idles whenever the connection is quiet), and looked for every IMAP_POLL_SECONDS
 * anyway. Each message not yet marked with TAKEN_KEYWORD is handed to the same inbound as the
 * SMTP receiver (so a mail that arrives both ways is stored once, by Message-ID) and marked
 * only after it is stored: a crash in between means it is read again, and found a duplicate.
 */
export class ImapPoller {
  private client: ImapFlow | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private failures = 0;
  private readonly target: ImapTarget;
  /** Resolves after each completed round (tests and the start log wait on it). */
  rounds = 0;

  constructor(private readonly deps: { config: EmailConfig; inbound: EmailInbound; log: Logger }) {
    this.target = parseImapUrl(deps.config.imapUrl!);
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { host, port, secure, user, pass, mailbox } = this.target;
    const client = new ImapFlow({ host, port, secure, auth: { user, pass }, logger: false, emitLogs: false, maxIdleTime: 5 * 60_000, autoIdleDelay: 1_000 });
    this.client = client;
    client.on('error', (err: Error) => this.deps.log.warn({ err: err.message }, 'IMAP error'));
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
      this.reconnectLater();
    });
    // New mail while idling: take it now instead of at the next poll.
    client.on('exists', () => this.poll());
    try {
      await client.connect();
      await client.mailboxOpen(mailbox);
      this.failures = 0;
      this.deps.log.info({ host, mailbox, idle: client.capabilities.has('IDLE') }, `IMAP polling ${mailbox} on ${host}${client.capabilities.has('IDLE') ? ' (IDLE)' : ''}`);
      this.poll();
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, host }, 'IMAP connection failed; retrying');
      client.close();
    }
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.failures++);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  /** Run a round now (or right after the one under way). */
  poll(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.take()
      .catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message }, 'IMAP round failed'))
      .finally(() => {
        this.round = undefined;
        this.rounds++;
        if (this.again) {
          this.again = false;
          this.poll();
        } else if (this.client && !this.stopped) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.poll(), this.deps.config.imapPollMs);
          this.timer.unref();
        }
      });
  }

  private async take(): Promise<void> {
    const client = this.client;
    if (!client?.usable) return;
    const uids = (await client.search({ unKeyword: TAKEN_KEYWORD }, { uid: true })) || [];
    for (const uid of uids) {
      if (this.stopped) return;
      const meta = await client.fetchOne(String(uid), { size: true, envelope: true }, { uid: true });
      if (!meta) continue;
      if ((meta.size ?? 0) > this.deps.config.maxBytes) {
        // Never downloaded: noted in the log and marked, like the 552 of the SMTP receiver.
        this.deps.log.info({ uid, size: meta.size, messageId: meta.envelope?.messageId }, 'oversized email in the mailbox skipped');
      } else {
        const full = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (full && full.source) await this.deps.inbound.accept(full.source, 'imap');
      }
      await client.messageFlagsAdd(String(uid), [TAKEN_KEYWORD], { uid: true });
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    const client = this.client;
    this.client = undefined;
    if (client) await client.logout().catch(() => client.close());
  }
}
