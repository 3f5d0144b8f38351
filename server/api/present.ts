/** Domain values → the public API's shapes (server/api/schemas.ts). Explicit fields: internals never leak. */
import type { Article as KbArticle } from '../../knowledge/types';
import type { ChatMessage } from '../domain/transcript';
import type { ApiKey } from '../store/api-keys';
import type { WebhookDelivery, WebhookSubscription } from '../store/webhooks';
import type { Conversation, Customer, StoredSurvey, Ticket } from '../store/types';

export const presentCustomer = (c: Customer) => ({
  id: c.id,
  channel: c.channel,
  externalId: c.externalId,
  name: c.name,
  email: c.email,
  attributes: c.attributes,
  createdAt: c.createdAt,
  lastSeenAt: c.lastSeenAt,
});

export const presentConversation = (c: Conversation) => ({
  id: c.id,
  customerId: c.customerId,
  channel: c.channel,
  state: c.state,
  assigneeId: c.assigneeId,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  resolvedAt: c.resolvedAt,
});

export const presentMessage = (m: ChatMessage) => ({
  id: m.id,
  conversationId: m.conversationId,
  seq: m.seq,
  author: m.author,
  authorName: m.authorName ?? null,
  content: m.content as { type: string } & Record<string, unknown>,
  createdAt: m.createdAt,
});

/** Late when the first response came after the due time, or has not come and the time is past. */
export const slaBreached = (t: Ticket, at = Date.now()) => (t.firstResponseAt ? t.firstResponseAt > t.firstResponseDueAt : at > Date.parse(t.firstResponseDueAt));

export const presentTicket = (t: Ticket) => ({
  id: t.id,
  conversationId: t.conversationId,
  customerId: t.customerId,
  channel: t.channel,
  status: t.status,
  priority: t.priority,
  assigneeId: t.assigneeId,
  subject: t.subject,
  reason: t.reason,
  tags: t.tags,
  firstResponseDueAt: t.firstResponseDueAt,
  firstResponseAt: t.firstResponseAt,
  slaBreached: slaBreached(t),
  resolvedAt: t.resolvedAt,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

export const presentSurvey = (s: StoredSurvey) => ({
  conversationId: s.conversationId,
  channel: s.channel,
  kind: s.kind,
  score: s.score,
  csat: s.csat,
  comment: s.comment ?? null,
  articleId: s.articleId ?? null,
  agentId: s.agentId ?? null,
  humanInvolved: s.humanInvolved,
  createdAt: s.createdAt,
});

/** Served (help-centre) articles and stored (editable) ones share these fields. */
export const presentArticle = (a: Pick<KbArticle, 'id' | 'title' | 'category' | 'tags' | 'locale' | 'summary' | 'body'>, url: string, withBody = false) => ({
  id: a.id,
  title: a.title,
  category: a.category,
  tags: a.tags,
  locale: a.locale,
  summary: a.summary,
  url,
  ...(withBody ? { body: a.body } : {}),
});

export const presentKey = (k: ApiKey) => ({ id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt });

export const presentSubscription = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  events: s.events,
  active: s.active,
  failingSince: s.failingSince,
  disabledReason: s.disabledReason,
  previousSecretUntil: s.previousSecretUntil,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

export const presentDelivery = (d: WebhookDelivery) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
