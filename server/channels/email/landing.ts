import express, { type Response, Router } from 'express';
import type { VisitorTokens } from '../../auth/visitor-token';
import type { ConversationService } from '../../conversations';
import type { Action } from '../../domain/transcript';
import { escapeHtml } from '../../help/html';
import type { Store } from '../../store/types';
import type { EmailTokens, LinkAction } from './tokens';

export interface LandingDeps {
  store: Store;
  service: ConversationService;
  tokens: EmailTokens;
  visitorTokens: VisitorTokens;
  /** The widget key a "Continue in chat" page embeds. */
  widgetKey: string;
  team: string;
}

const page = (res: Response, status: number, title: string, body: string, head = '') =>
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>${head}<style>body{font:17px/1.6 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;color:#1b1f24}a.b,button{display:inline-block;padding:8px 14px;margin:2px;border-radius:6px;background:#0f2a66;color:#fff;text-decoration:none;border:0;font:inherit;cursor:pointer}textarea{width:100%;font:inherit}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );

const ACTION_LABEL: Record<string, string> = { solved: 'This solved my problem', help: 'I still need help' };

/**
 * Where the links of an email land: "Continue in chat" (the widget on this conversation, in any
 * browser), "This solved my problem" / "I still need help", and the CES scores 1–7 (one click
 * records the score; the page then takes an optional comment). Each link is signed, expiring and
 * names one conversation; each action goes through the service like a button press in the
 * widget, with the email's card as its idempotency key, so a second click changes nothing.
 */
export function landingRoutes(deps: LandingDeps): Router {
  const { store, service, tokens } = deps;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  const resolveLink = async (raw: unknown) => {
    const link = tokens.verifyLink(raw);
    if (!link) return undefined;
    const conversation = await store.conversations.get(link.conversationId);
    return conversation ? { ...link, conversation } : undefined;
  };

  const press = (conversation: { id: string; channel: string; customerId: string; threadKey: string }, action: Action, label: string, card: string) =>
    service.receive({
      channel: conversation.channel as 'web' | 'email',
      sender: { customerId: conversation.customerId },
      threadKey: conversation.threadKey,
      mayStart: false,
      body: { type: 'action', action, label, conversationId: conversation.id, cardId: `${card}:${conversation.id}` },
      receivedAt: new Date(),
    });

  /** The chat page a "Continue in chat" link turns into (reloadable: the widget keeps its token). */
  const chatPage = (res: Response, seed = '') =>
    page(
      res,
      200,
      'Your conversation',
      `<p>Your conversation with ${escapeHtml(deps.team)} is open in the chat window.</p>${seed}<script src="/widget.js" data-answerdesk-key="${escapeHtml(deps.widgetKey)}" data-title="${escapeHtml(deps.team)}" async></script>`,
    );
  router.get('/chat', (_req, res) => chatPage(res));

  router.get('/l/:token', async (req, res) => {
    const link = await resolveLink(req.params.token);
    if (!link) {
      return page(res, 410, 'This link has expired', '<p>Links in our emails work for a limited time. Reply to the email instead, or write to us again: we will pick it up from there.</p>');
    }
    const { conversation, action } = link;
    // Link checkers (and some mail scanners) probe with HEAD: that is never a click.
    if (req.method === 'HEAD' && action !== 'continue') return void res.status(200).end();
    if (action === 'continue') {
      if (conversation.channel !== 'web') return page(res, 200, 'Reply by email', '<p>This conversation happens by email: reply to our last message.</p>');
      // The browser that opens this becomes the customer's widget: their token, and this exact
      // conversation pinned (the widget asks for it by id, even if the customer has a newer one).
      const token = deps.visitorTokens.sign({ customerId: conversation.customerId, key: deps.widgetKey });
      const nonce = String(res.locals.nonce ?? '');
      const key = JSON.stringify(deps.widgetKey);
      // The link leaves the address bar (and so the history and the page URL agents see) at once.
      const script = `<script nonce="${escapeHtml(nonce)}">try{var k=${key};localStorage.setItem('answerdesk:'+k+':token',${JSON.stringify(token)});localStorage.removeItem('answerdesk:'+k+':conversation');localStorage.setItem('answerdesk:'+k+':pin',${JSON.stringify(conversation.id)});sessionStorage.setItem('answerdesk:'+k+':open','1');history.replaceState(null,'','/email/chat')}catch(e){}</script>`;
      res.setHeader('Referrer-Policy', 'no-referrer');
      return chatPage(res, script);
    }
    if (action === 'solved' || action === 'help') {
      const result = await press(conversation, action === 'solved' ? { kind: 'feedback', helpful: true } : { kind: 'handoff' }, ACTION_LABEL[action]!, 'email-feedback');
      if (result.kind !== 'stored') return page(res, 409, 'Already answered', '<p>This conversation has moved on: reply to the email to continue.</p>');
      if (result.duplicate) return page(res, 200, 'Already noted', '<p>You already told us — thank you. Reply to the email if there is anything else.</p>');
      return action === 'solved'
        ? page(res, 200, 'Glad it helped', `<p>Thanks for letting us know.</p>${cesButtons(tokens, conversation.id)}`)
        : page(res, 200, 'A person will help', '<p>We have passed your question to our team. They will reply by email.</p>');
    }
    if (action.startsWith('csat') || action.startsWith('nps')) {
      const kind = action.startsWith('csat') ? 'csat' : 'nps';
      const score = Number(action.slice(kind.length));
      const out = kind === 'csat' ? 5 : 10;
      const result = await press(conversation, { kind, score }, `${score} out of ${out}`, `email-${kind}`);
      const first = result.kind === 'stored' && !result.duplicate;
      return page(res, 200, 'Thanks for your answer', `<p>${first ? `You answered ${score} out of ${out}.` : 'We already have your answer — thank you.'}</p>`);
    }
    const score = Number(action.slice(3));
    const result = await press(conversation, { kind: 'ces', score }, `${score} out of 7`, 'email-ces');
    const first = result.kind === 'stored' && !result.duplicate;
    return page(
      res,
      200,
      'Thanks for your answer',
      `<p>${first ? `You answered ${score} out of 7.` : 'We already have your answer — thank you.'}</p><form method="post" action="/email/l/${escapeHtml(req.params.token)}/comment"><label for="c">Anything to add? (optional)</label><textarea id="c" name="comment" rows="4" maxlength="1000"></textarea><p><button type="submit">Send comment</button></p></form>`,
    );
  });

  router.post('/l/:token/comment', async (req, res) => {
    const link = await resolveLink(req.params.token);
    if (!link || !link.action.startsWith('ces')) return page(res, 410, 'This link has expired', '<p>Thank you all the same.</p>');
    const comment = typeof req.body?.comment === 'string' ? req.body.comment.slice(0, 1000) : '';
    const stored = await service.addSurveyComment(link.conversation.id, comment);
    return page(res, 200, 'Thank you', stored ? '<p>Your comment was saved.</p>' : '<p>Thank you — we already have your answer.</p>');
  });

  return router;
}

function cesButtons(tokens: EmailTokens, conversationId: string): string {
  const links = [1, 2, 3, 4, 5, 6, 7].map((s) => `<a class="b" href="/email/l/${tokens.link(conversationId, `ces${s}` as LinkAction)}">${s}</a>`).join(' ');
  return `<p>How easy was it to get your issue resolved? (1 = very difficult, 7 = very easy)</p><p>${links}</p>`;
}
