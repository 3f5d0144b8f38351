import type { Kysely } from 'kysely';
import { now } from './rows';
import type { Database } from './schema';
import type { NewOutboxItem } from './types';

/** Outbox rows written inside a caller's transaction (the change and its deliveries commit together). */
export async function insertOutboxRows(db: Kysely<Database>, items: NewOutboxItem[], conversationId: string | null = null): Promise<void> {
  if (items.length === 0) return;
  const t = now();
  await db
    .insertInto('outbox')
    .values(
      items.map((item) => ({
        channel: item.channel,
        conversation_id: conversationId,
        message_id: null,
        payload: JSON.stringify(item.payload),
        state: 'pending',
        attempts: 0,
        next_attempt_at: t,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: t,
        done_at: null,
      })),
    )
    .execute();
}
