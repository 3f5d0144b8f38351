import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
  messageId: string;
  html: string;
  text: string;
}

/**
 * The provider's side of outbound email, played by smtp-server on 127.0.0.1: it accepts what
 * answerdesk sends (any credentials) and keeps each message, parsed, for the test to read.
 */
export class SmtpSink {
  readonly mails: CapturedMail[] = [];
  private waiters: (() => void)[] = [];
  /** Answer the next N messages with this SMTP error (an outage at the relay). */
  failNext = 0;
  /**
   * Slow relay: acknowledge one message at a time, each this long after its data arrived. A
   * message whose sender disconnected before the "250" is not delivered (the sender never
   * learnt it was taken, and will send it again): counted in `dropped`.
   */
  ackDelayMs = 0;
  /** When the message now waiting for its "250" started waiting (undefined: none). */
  ackingSince: number | undefined;
  dropped = 0;
  private ackChain: Promise<void> = Promise.resolve();
  /** Hold the "250" of the message that would be number `holdAt` (1-based) until release(): a crash lands there. */
  holdAt: number | undefined;
  holding = false;
  private releaseHold: (() => void) | undefined;
  private acked = 0;

  /** Forget what was captured; hold the `holdAt`-th acknowledgement from now. */
  reset(holdAt?: number): void {
    this.mails.length = 0;
    this.dropped = 0;
    this.acked = 0;
    this.holdAt = holdAt;
  }

  release(): void {
    this.holdAt = undefined;
    this.releaseHold?.();
  }

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose(session) {
        (session as unknown as { closed?: boolean }).closed = true;
      },
      onAuth(_auth, _session, callback) {
        callback(null, { user: 'relay-user' });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (sink!.failNext > 0) {
            sink!.failNext--;
            return callback(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks).toString();
          const slow = sink!.ackDelayMs;
          const turn = slow
            ? (sink!.ackChain = sink!.ackChain.then(async () => {
                sink!.ackingSince = Date.now();
                await new Promise((r) => setTimeout(r, slow));
                if (sink!.holdAt !== undefined && sink!.acked + 1 >= sink!.holdAt) {
                  sink!.holding = true;
                  await new Promise<void>((r) => (sink!.releaseHold = r));
                  sink!.holding = false;
                }
                sink!.acked++;
                sink!.ackingSince = undefined;
              }))
            : Promise.resolve();
          void turn.then(() => simpleParser(raw)).then((parsed) => {
            if ((session as unknown as { closed?: boolean }).closed) {
              sink!.dropped++;
              return callback(new Error('sender went away'));
            }
            sink!.mails.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              messageId: parsed.messageId ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              text: parsed.text ?? '',
            });
            for (const w of sink!.waiters.splice(0)) w();
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return sink;
  }

  get url(): string {
    return `smtp://relay-user:relay-pass@127.0.0.1:${this.port}`;
  }

  to(address: string): CapturedMail[] {
    return this.mails.filter((m) => m.envelopeTo.includes(address));
  }

  /** Waits until `predicate` holds over the captured mails (event-driven, bounded). */
  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined && found !== false) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; captured: ${this.mails.map((m) => `${m.envelopeTo.join(',')} ${m.parsed.subject}`).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
