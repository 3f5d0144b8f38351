/** Console calls for the integrations settings (API keys, webhooks): admins only, session + CSRF. */
import { request } from '../../api';

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  failingSince: string | null;
  disabledReason: string | null;
  previousSecretUntil: string | null;
  createdAt: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  attemptLog: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

const enc = encodeURIComponent;

export const integrations = {
  keys: () => request<{ keys: ApiKeyInfo[]; scopes: string[] }>('GET', '/api/admin/api-keys'),
  createKey: (name: string, scopes: string[]) => request<{ key: ApiKeyInfo; secret: string }>('POST', '/api/admin/api-keys', { name, scopes }),
  revokeKey: (id: string) => request<{ key: ApiKeyInfo }>('POST', `/api/admin/api-keys/${enc(id)}/revoke`, {}),
  webhooks: () => request<{ subscriptions: Subscription[]; events: { type: string; description: string }[] }>('GET', '/api/admin/webhooks'),
  createWebhook: (url: string, events: string[], description: string) => request<{ subscription: Subscription; secret: string }>('POST', '/api/admin/webhooks', { url, events, ...(description ? { description } : {}) }),
  updateWebhook: (id: string, patch: { active?: boolean }) => request<{ subscription: Subscription }>('PATCH', `/api/admin/webhooks/${enc(id)}`, patch),
  deleteWebhook: (id: string) => request<void>('DELETE', `/api/admin/webhooks/${enc(id)}`),
  rotate: (id: string) => request<{ subscription: Subscription; secret: string }>('POST', `/api/admin/webhooks/${enc(id)}/rotate`, {}),
  deliveries: (id: string) => request<{ deliveries: Delivery[] }>('GET', `/api/admin/webhooks/${enc(id)}/deliveries`),
  redeliver: (id: string, deliveryId: string) => request<unknown>('POST', `/api/admin/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`, {}),
};

export const errorText = (err: unknown, fallback: string) => (err instanceof Error && err.message ? err.message : fallback);
