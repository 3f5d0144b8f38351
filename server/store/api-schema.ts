/** Tables of the public API and webhooks (migration 007). */
export interface ApiTables {
  api_keys: ApiKeysTable;
  api_idempotency: ApiIdempotencyTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  hash: string;
  prefix: string;
  /** JSON array of scopes. */
  scopes: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiIdempotencyTable {
  key_id: string;
  idem_key: string;
  /** Method, path and body hash: the same key with another request is refused. */
  fingerprint: string;
  /** running → done. */
  state: string;
  status: number | null;
  body: string | null;
  created_at: string;
}

export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  description: string | null;
  /** JSON array of event types. */
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
  active: number;
  failing_since: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  body: string;
  /** pending → delivered | failed. */
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: import('kysely').Generated<number>;
  delivery_id: string;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}
