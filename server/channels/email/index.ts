import nodemailer from 'nodemailer';
import type { VisitorTokens } from '../../auth/visitor-token';
import type { ChannelContext, MountedChannel } from '../index';
import { EmailInbound } from './inbound';
import { ImapPoller } from './imap';
import { landingRoutes } from './landing';
import { EmailOutbound, teamName } from './outbound';
import { SmtpReceiver } from './receiver';
import { EmailTokens } from './tokens';

export interface MountedEmail extends MountedChannel {
  /** The SMTP receiver's bound port (INBOUND_SMTP_PORT=0 picks a free one). */
  smtpPort?: number;
  inbound: EmailInbound;
  imap?: ImapPoller;
  tokens: EmailTokens;
}

/**
 * Email: sending (nodemailer over SMTP_URL, through the outbox), continuity for widget
 * visitors who left, replies and new mail coming back (the SMTP receiver and/or IMAP polling),
 * and the landing pages of the links in our emails. Without SMTP_URL email is off, and the
 * widget never promises a reply by email (availability.emailReplies is false).
 */
export async function mountEmail(ctx: ChannelContext, options: { secret: string; visitorTokens: VisitorTokens; publicBase: string }): Promise<MountedEmail | undefined> {
  const { app, config, store, service, worker, log } = ctx;
  const email = config.email;
  if (!email.enabled) {
    log.info('Email disabled: SMTP_URL is not set (the widget will not offer replies by email)');
    return undefined;
  }
  const emailLog = log.child({ channel: 'email' });
  // Bounded waits: a relay that stops answering fails this attempt (and the outbox retries later).
  const smtpUrl = new URL(email.smtpUrl!);
  for (const [k, v] of Object.entries({ connectionTimeout: '15000', greetingTimeout: '15000', socketTimeout: '60000' })) if (!smtpUrl.searchParams.has(k)) smtpUrl.searchParams.set(k, v);
  const transport = nodemailer.createTransport(smtpUrl.toString(), { from: email.from });
  const tokens = new EmailTokens(options.secret, email.linkTtlMs);
  const outbound = new EmailOutbound({ config: email, store, log: emailLog, transport, tokens, linkUrl: (token) => `${options.publicBase}/email/l/${token}` });
  // Email carries its own conversations, and follows widget visitors who left.
  service.registerChannel('email', outbound, ['web']);
  worker.register('email', outbound);
  app.use('/email', landingRoutes({ store, service, tokens, visitorTokens: options.visitorTokens, widgetKey: config.widgetKeys[0] ?? 'demo', team: teamName(email.from) }));

  const inbound = new EmailInbound({ config: email, store, service, tokens, log: emailLog, messageMaxBytes: config.messageMaxBytes });
  let receiver: SmtpReceiver | undefined;
  let smtpPort: number | undefined;
  if (email.inboundPort !== undefined) {
    receiver = new SmtpReceiver({ config: email, inbound, log: emailLog });
    smtpPort = await receiver.listen(email.inboundPort, email.inboundHost);
  }
  const imap = email.imapUrl ? new ImapPoller({ config: email, inbound, log: emailLog }) : undefined;
  imap?.start();
  const relay = new URL(email.smtpUrl!);
  emailLog.info(
    { relay: `${relay.protocol}//${relay.host}`, from: email.from, replyDomain: email.replyDomain, smtpPort, imap: imap ? new URL(email.imapUrl!).host : undefined },
    `Email enabled: sending through ${relay.host} as ${email.address}; receiving ${[smtpPort !== undefined ? `SMTP on port ${smtpPort}` : '', imap ? 'IMAP' : ''].filter(Boolean).join(' and ') || 'nothing (no INBOUND_SMTP_PORT or IMAP_URL: replies by email will not come back)'}`,
  );
  return {
    name: 'email',
    ...(smtpPort !== undefined ? { smtpPort } : {}),
    inbound,
    ...(imap ? { imap } : {}),
    tokens,
    async close() {
      await receiver?.close();
      await imap?.close();
      transport.close();
    },
  };
}
