import type { Kysely } from 'kysely';
import { now } from '../store/rows';
import type { Database } from '../store/schema';

/**
 * Leased job rows: a scheduled job runs on whichever instance holds its row's lease. Taking
 * the lease is one conditional upsert (free, expired, or already ours), so of any number of
 * instances exactly one gets it; a killed holder's lease runs out and another takes over.
 */
export async function acquireLease(db: Kysely<Database>, name: string, owner: string, leaseMs: number): Promise<boolean> {
  const t = now();
  const until = new Date(Date.now() + leaseMs).toISOString();
  const row = await db
    .insertInto('jobs')
    .values({ name, lease_owner: owner, lease_until: until, watermark: null, updated_at: t })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ lease_owner: owner, lease_until: until, updated_at: t })
        .where((eb) => eb.or([eb('jobs.lease_until', '<', t), eb('jobs.lease_owner', '=', owner), eb('jobs.lease_owner', 'is', null)])),
    )
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

export async function releaseLease(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db.updateTable('jobs').set({ lease_owner: null, lease_until: now(), updated_at: now() }).where('name', '=', name).where('lease_owner', '=', owner).execute();
}

export async function readWatermark(db: Kysely<Database>, name: string): Promise<string | null> {
  const row = await db.selectFrom('jobs').select('watermark').where('name', '=', name).executeTakeFirst();
  return row?.watermark ?? null;
}

/** Moves the watermark forward only (two instances finishing out of order keep the later one). */
export async function advanceWatermark(db: Kysely<Database>, name: string, watermark: string): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ name, lease_owner: null, lease_until: now(), watermark, updated_at: now() })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ watermark, updated_at: now() })
        .where((eb) => eb.or([eb('jobs.watermark', 'is', null), eb('jobs.watermark', '<', watermark)])),
    )
    .execute();
}
