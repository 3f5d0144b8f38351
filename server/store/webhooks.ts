import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { WebhookDeliveriesTable, WebhookSubscriptionsTable } from './api-schema';
import { json, now } from './rows';
import type { Database } from './schema';
import type { NewOutboxItem } from './types';

export interface WebhookSubscription {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  active: boolean;
  /** When the current run of failed attempts began (null: the last attempt succeeded). */
  failingSince: string | null;
  disabledReason: string | null;
  /** Until when the previous secret still signs too (rotation overlap). */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The signing material, only for the deliverer. */
export interface SigningSecrets {
  secret: string;
  previous: string | null;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Outbox channel of a subscription's deliveries: `webhook:<subscription id>`. The outbox orders
 * rows per conversation and channel, so one subscription gets a conversation's events in order
 * and a failing receiver never holds up another subscription (or Slack, Teams …).
 */
export const WEBHOOK_CHANNELS = 'webhook:*';
export const deliveryChannel = (subscriptionId: string) => `webhook:${subscriptionId}`;

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

const toSubscription = (r: Selectable<WebhookSubscriptionsTable>): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: json<string[]>(r.events, []),
  active: Number(r.active) === 1,
  failingSince: r.failing_since,
  disabledReason: r.disabled_reason,
  previousSecretUntil: r.previous_secret_until && r.previous_secret_until > now() ? r.previous_secret_until : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  state: r.state as WebhookDelivery['state'],
  attempts: Number(r.attempts),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Webhook subscriptions and the per-subscription delivery log (one row per subscription and event). */
export interface WebhookStore {
  create(input: { url: string; events: string[]; description?: string | null }): Promise<{ subscription: WebhookSubscription; secret: string }>;
  get(id: string): Promise<WebhookSubscription | undefined>;
  list(): Promise<WebhookSubscription[]>;
  /** Active subscriptions that want `type`. */
  subscribedTo(type: string): Promise<WebhookSubscription[]>;
  update(id: string, patch: { url?: string; events?: string[]; description?: string | null; active?: boolean }): Promise<WebhookSubscription | undefined>;
  remove(id: string): Promise<boolean>;
  /** A new secret; the old one keeps signing too until `overlapMs` from now. */
  rotateSecret(id: string, overlapMs: number): Promise<{ subscription: WebhookSubscription; secret: string } | undefined>;
  secrets(id: string): Promise<SigningSecrets | undefined>;
  /** The start of a run of failures (kept if one is already running); returns it. */
  markFailing(id: string): Promise<string | undefined>;
  markHealthy(id: string): Promise<void>;
  disable(id: string, reason: string): Promise<boolean>;

  /**
   * The delivery-log row of an event for a subscription, created on its first attempt. One per
   * (subscription, event id): an attempt repeated after a crash finds the same row.
   */
  ensureDelivery(subscriptionId: string, event: { id: string; type: string; body: string }): Promise<WebhookDelivery>;
  delivery(id: string): Promise<WebhookDelivery | undefined>;
  deliveries(subscriptionId: string, page: { before?: string; limit: number }): Promise<WebhookDelivery[]>;
  attempts(deliveryId: string): Promise<WebhookAttempt[]>;
  recordAttempt(deliveryId: string, attempt: WebhookAttempt, state: WebhookDelivery['state']): Promise<void>;
  /** Sends a delivery again (same event id and body), through a new outbox row. */
  redeliver(deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** Drops finished deliveries (and their attempts) created before `before`. */
  prune(before: Date): Promise<number>;
  /** Writes `outbox` only the first time `key` is seen, atomically (e.g. one SLA-breach event per ticket). */
  enqueueOnce(key: string, outbox: NewOutboxItem[]): Promise<boolean>;
}

export class KyselyWebhooks implements WebhookStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { url: string; events: string[]; description?: string | null }): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const t = now();
    const secret = newSecret();
    const row = await this.db
      .insertInto('webhook_subscriptions')
      .values({
        id: randomUUID(),
        url: input.url,
        description: input.description ?? null,
        events: JSON.stringify([...new Set(input.events)]),
        secret,
        previous_secret: null,
        previous_secret_until: null,
        active: 1,
        failing_since: null,
        disabled_reason: null,
        created_at: t,
        updated_at: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { subscription: toSubscription(row), secret };
  }

  async get(id: string): Promise<WebhookSubscription | undefined> {
    const row = await this.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSubscription(row);
  }

  async list(): Promise<WebhookSubscription[]> {
    return (await this.db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at', 'asc').execute()).map(toSubscription);
  }

  async subscribedTo(type: string): Promise<WebhookSubscription[]> {
    // A handful of rows: filtering the JSON list here keeps the SQL the same on both backends.
    const rows = await this.db.selectFrom('webhook_subscriptions').selectAll().where('active', '=', 1).execute();
    return rows.map(toSubscription).filter((s) => s.events.includes(type));
  }

  async update(id: string, patch: { url?: string; events?: string[]; description?: string | null; active?: boolean }): Promise<WebhookSubscription | undefined> {
    const row = await this.db
      .updateTable('webhook_subscriptions')
      .set({
        updated_at: now(),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        // Turning a subscription back on starts a fresh failure count.
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0, ...(patch.active ? { failing_since: null, disabled_reason: null } : {}) } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toSubscription(row);
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async rotateSecret(id: string, overlapMs: number): Promise<{ subscription: WebhookSubscription; secret: string } | undefined> {
    const secret = newSecret();
    const row = await this.db
      .updateTable('webhook_subscriptions')
      .set({ previous_secret: sql`secret`, previous_secret_until: new Date(Date.now() + overlapMs).toISOString(), secret, updated_at: now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && { subscription: toSubscription(row), secret };
  }

  async secrets(id: string): Promise<SigningSecrets | undefined> {
    const row = await this.db.selectFrom('webhook_subscriptions').select(['secret', 'previous_secret', 'previous_secret_until']).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const overlap = row.previous_secret && row.previous_secret_until && row.previous_secret_until > now();
    return { secret: row.secret, previous: overlap ? row.previous_secret : null };
  }

  async markFailing(id: string): Promise<string | undefined> {
    await this.db.updateTable('webhook_subscriptions').set({ failing_since: now() }).where('id', '=', id).where('failing_since', 'is', null).execute();
    const row = await this.db.selectFrom('webhook_subscriptions').select('failing_since').where('id', '=', id).executeTakeFirst();
    return row?.failing_since ?? undefined;
  }

  async markHealthy(id: string): Promise<void> {
    await this.db.updateTable('webhook_subscriptions').set({ failing_since: null }).where('id', '=', id).where('failing_since', 'is not', null).execute();
  }

  async disable(id: string, reason: string): Promise<boolean> {
    const result = await this.db.updateTable('webhook_subscriptions').set({ active: 0, disabled_reason: reason, updated_at: now() }).where('id', '=', id).where('active', '=', 1).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async ensureDelivery(subscriptionId: string, event: { id: string; type: string; body: string }): Promise<WebhookDelivery> {
    const t = now();
    await this.db
      .insertInto('webhook_deliveries')
      .values({ id: randomUUID(), subscription_id: subscriptionId, event_id: event.id, event_type: event.type, body: event.body, state: 'pending', attempts: 0, last_status: null, last_error: null, created_at: t, updated_at: t })
      .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
      .execute();
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).where('event_id', '=', event.id).executeTakeFirstOrThrow();
    return toDelivery(row);
  }

  async delivery(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDelivery(row);
  }

  async deliveries(subscriptionId: string, page: { before?: string; limit: number }): Promise<WebhookDelivery[]> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId);
    if (page.before) q = q.where('created_at', '<', page.before);
    return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute()).map(toDelivery);
  }

  async attempts(deliveryId: string): Promise<WebhookAttempt[]> {
    const rows = await this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id', 'asc').execute();
    return rows.map((r) => ({ at: r.at, status: r.status === null ? null : Number(r.status), error: r.error, durationMs: Number(r.duration_ms) }));
  }

  async recordAttempt(deliveryId: string, attempt: WebhookAttempt, state: WebhookDelivery['state']): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_attempts').values({ delivery_id: deliveryId, at: attempt.at, status: attempt.status, error: attempt.error?.slice(0, 500) ?? null, duration_ms: Math.round(attempt.durationMs) }).execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({ state, attempts: sql`attempts + 1`, last_status: attempt.status, last_error: attempt.error?.slice(0, 500) ?? null, updated_at: now() })
        .where('id', '=', deliveryId)
        .execute();
    });
  }

  async redeliver(deliveryId: string): Promise<WebhookDelivery | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const t = now();
      const row = await trx.updateTable('webhook_deliveries').set({ state: 'pending', updated_at: t }).where('id', '=', deliveryId).returningAll().executeTakeFirst();
      if (!row) return undefined;
      await trx.insertInto('outbox').values(outboxRow(deliveryChannel(row.subscription_id), { deliveryId, redelivery: true }, t)).execute();
      return toDelivery(row);
    });
  }

  async prune(before: Date): Promise<number> {
    const old = this.db.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before.toISOString()).where('state', '!=', 'pending');
    await this.db.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
    const result = await this.db.deleteFrom('webhook_deliveries').where('created_at', '<', before.toISOString()).where('state', '!=', 'pending').executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async enqueueOnce(key: string, outbox: NewOutboxItem[]): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const t = now();
      const first = await trx.insertInto('processed_events').values({ key, created_at: t }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
      if (!first) return false;
      for (const item of outbox) await trx.insertInto('outbox').values(outboxRow(item.channel, item.payload, t)).execute();
      return true;
    });
  }
}

function outboxRow(channel: string, payload: Record<string, unknown>, t: string) {
  return { channel, conversation_id: null, message_id: null, payload: JSON.stringify(payload), state: 'pending', attempts: 0, next_attempt_at: t, lease_owner: null, lease_until: null, last_error: null, created_at: t, done_at: null };
}
