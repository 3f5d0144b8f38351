import express, { type Request, Router } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import type { RequireAgent } from '../auth/agent-auth';
import type { VisitorTokens } from '../auth/visitor-token';
import type { ConversationService } from '../conversations';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, attachmentMarkdown, cleanFileName, formatSize } from '../domain/attachments';
import { DomainError, invalid, notFound, tooLarge, unauthenticated } from '../domain/errors';
import type { RealtimeBus } from '../realtime/bus';
import type { Store } from '../store/types';
import { WEB_THREAD } from '../channels/web/inbound';

export interface AttachmentDeps {
  store: Store;
  service: ConversationService;
  requireAgent: RequireAgent;
  tokens: VisitorTokens;
  bus: RealtimeBus;
  /** Absolute base for links (PUBLIC_URL), else the request's own origin. */
  publicUrl: string | undefined;
}

const unsupported = (message: string) => new DomainError('invalid', 'unsupported_file', message);

/**
 * Images and PDFs up to 10 MB, both ways, stored in the database so every instance serves them.
 * The type is read from the content; a .pdf that is really an .exe is refused.
 */
export function attachmentRoutes(deps: AttachmentDeps): Router {
  const { store, service, tokens, bus, requireAgent } = deps;
  const router = Router();
  const base = (req: Request) => (deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');

  // The size is refused before the body is read, with a message a person understands.
  const sizeGuard: express.RequestHandler = (req, _res, next) => {
    const length = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > ATTACHMENT_MAX_BYTES) {
      return next(tooLarge(`Files can be up to ${formatSize(ATTACHMENT_MAX_BYTES)}; this one is ${formatSize(length)}.`, 'file_too_large'));
    }
    next();
  };
  const body = express.raw({ type: () => true, limit: ATTACHMENT_MAX_BYTES });

  /** Check the content, store it, and return what the message says. */
  const accept = async (req: Request, conversationId: string, uploadedBy: string) => {
    const data = req.body as Buffer | undefined;
    if (!Buffer.isBuffer(data) || data.length === 0) throw invalid('empty_file', 'The file is empty.');
    if (data.length > ATTACHMENT_MAX_BYTES) throw tooLarge(`Files can be up to ${formatSize(ATTACHMENT_MAX_BYTES)}.`, 'file_too_large');
    const detected = await fileTypeFromBuffer(data);
    const type = detected && ATTACHMENT_TYPES[detected.mime];
    if (!detected || !type) {
      throw unsupported(`Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent${detected ? `; this file's content is ${detected.ext.toUpperCase()}, whatever its name says` : '; this file is neither'}.`);
    }
    const rawName = typeof req.query.name === 'string' ? req.query.name.slice(0, 300) : 'file';
    const name = cleanFileName(rawName, type.ext);
    const meta = await store.ui.saveAttachment({ conversationId, name, mime: detected.mime, data: new Uint8Array(data), uploadedBy });
    return attachmentMarkdown({ name, mime: meta.mime, size: meta.size, url: `${base(req)}/api/attachments/${meta.id}/${encodeURIComponent(name)}` });
  };

  /** The widget's visitor (Bearer token): the file joins their current web conversation. */
  router.post('/widget/attachments', sizeGuard, body, async (req, res) => {
    const header = req.headers.authorization ?? '';
    const claims = tokens.verify(header.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (!claims) throw unauthenticated('a valid visitor token is required');
    const conversation = await store.conversations.inThread(claims.customerId, WEB_THREAD);
    if (!conversation || conversation.state === 'resolved') throw invalid('no_conversation', 'Send a message first, then attach the file.');
    const text = await accept(req, conversation.id, `customer:${claims.customerId}`);
    // Stored as the customer's message without a bot turn: a file is for the people helping.
    const { message } = await store.conversations.append({ conversationId: conversation.id, author: 'customer', content: { type: 'text', text } });
    bus.publish({ type: 'message', conversationId: conversation.id, seq: message.seq });
    const ticket = await store.tickets.byConversation(conversation.id);
    if (ticket) bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: conversation.id });
    res.status(201).json({ message });
  });

  /** An agent's file: an ordinary reply, so it reaches the customer's channel like any other. */
  router.post('/tickets/:id/attachments', requireAgent(), sizeGuard, body, async (req, res) => {
    const ticket = await store.tickets.get(req.params.id as string);
    if (!ticket) throw notFound('ticket', req.params.id as string);
    const agent = res.locals.agent!;
    const text = await accept(req, ticket.conversationId, `agent:${agent.id}`);
    res.status(201).json({ message: await service.agentReply(ticket.id, agent, text) });
  });

  router.get('/attachments/:id/:name', async (req, res) => {
    const file = await store.ui.attachment(req.params.id as string);
    if (!file) throw notFound('attachment', req.params.id as string);
    const image = ATTACHMENT_TYPES[file.mime]?.kind === 'image';
    res.setHeader('Content-Type', file.mime);
    // Images preview inline; everything downloads under its own (cleaned) name.
    res.setHeader('Content-Disposition', `${image && req.query.download === undefined ? 'inline' : 'attachment'}; filename="${file.name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.end(Buffer.from(file.data));
  });

  return router;
}
