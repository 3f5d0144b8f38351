import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { EmailConfig } from '../../config';
import type { EmailInbound } from './inbound';

/** An SMTP error with the reply code the client sees. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The built-in SMTP receiver (point a subdomain's MX at it, or forward to it). It only takes
 * mail for our own addresses (never a relay), refuses an oversized message at SMTP time with
 * 552 — announced in EHLO SIZE, checked at MAIL FROM and while the data streams, so nothing
 * is half-stored — limits recipients per message (452 after the limit, as RFC 5321 asks), and
 * answers 250 only once the mail is stored: a crash before that makes the sender retry.
 */
export class SmtpReceiver {
  private readonly server: SMTPServer;

  constructor(
    deps: { config: EmailConfig; inbound: EmailInbound; log: Logger },
  ) {
    const { config } = deps;
    const ours = (address: string) => {
      const a = address.toLowerCase();
      return a === config.address || a.endsWith(`@${config.replyDomain}`) || a.endsWith(`@${config.address.split('@')[1]}`);
    };
    this.server = new SMTPServer({
      name: config.replyDomain,
      banner: 'answerdesk',
      size: config.maxBytes,
      authOptional: true,
      // A receiver for our own addresses: no AUTH; STARTTLS needs a certificate (terminate TLS in front, or use IMAP).
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      maxClients: 200,
      onMailFrom(address: SMTPServerAddress, _session, callback) {
        const args = address.args as Record<string, string> | false | undefined;
        const declared = Number((args && args.SIZE) || 0);
        if (declared > config.maxBytes) return callback(smtpError(552, `5.3.4 Message too big: the limit is ${config.maxBytes} bytes`));
        callback();
      },
      onRcptTo(address: SMTPServerAddress, session, callback) {
        if (!ours(address.address)) return callback(smtpError(550, '5.7.1 Relaying denied: not a support address'));
        if (session.envelope.rcptTo.length >= config.maxRecipients) return callback(smtpError(452, '4.5.3 Too many recipients'));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
            deps.log.info({ remote: session.remoteAddress }, 'oversized email refused (552)');
            return callback(smtpError(552, `5.3.4 Message too big: the limit is ${config.maxBytes} bytes`));
          }
          const raw = Buffer.concat(chunks);
          const mailFrom = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address;
          deps.inbound
            .accept(raw, 'smtp', { ...(mailFrom !== undefined ? { mailFrom } : {}), rcptTo: session.envelope.rcptTo.map((r) => r.address) })
            .then((outcome) => {
              deps.log.debug({ outcome }, 'email received over SMTP');
              callback(null, outcome.kind === 'stored' ? 'Queued' : `Accepted (${outcome.kind === 'ignored' ? outcome.reason : outcome.kind})`);
            })
            .catch((err: unknown) => {
              deps.log.error({ err }, 'storing an incoming email failed: sender will retry');
              callback(smtpError(451, '4.3.0 Temporary failure, please retry'));
            });
        });
      },
    });
    this.server.on('error', (err) => deps.log.warn({ err }, 'SMTP receiver error'));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
