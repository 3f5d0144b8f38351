import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Channel } from '../domain/transcript';
import { now, toCustomer } from './rows';
import type { Database } from './schema';
import { refreshHeads } from './search-index';
import type { Customer } from './types';

export type CustomerPatch = Partial<Pick<Customer, 'name' | 'email' | 'pageUrl' | 'attributes'>>;

export interface CustomerStore {
  get(id: string): Promise<Customer | undefined>;
  findByExternalId(channel: Channel, externalId: string): Promise<Customer | undefined>;
  /** A new anonymous customer (the widget's visitors), or `id`'s details updated. */
  save(input: CustomerPatch & { id?: string; channel: Channel }): Promise<Customer>;
  /**
   * The platform user as a customer, created on first sight. Race-free: two first messages
   * of a new member at the same moment get the same row (ON CONFLICT on the unique
   * (channel, external_id) index), on SQLite and PostgreSQL alike.
   */
  ensure(channel: Channel, externalId: string, profile?: Pick<CustomerPatch, 'name' | 'email'>): Promise<Customer>;
}

export class KyselyCustomers implements CustomerStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<Customer | undefined> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCustomer(row);
  }

  async findByExternalId(channel: Channel, externalId: string): Promise<Customer | undefined> {
    const row = await this.db.selectFrom('customers').selectAll().where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
    return row && toCustomer(row);
  }

  async save(input: CustomerPatch & { id?: string; channel: Channel }): Promise<Customer> {
    const t = now();
    const existing = input.id ? await this.get(input.id) : undefined;
    if (existing) {
      const patch = {
        last_seen_at: t,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.pageUrl !== undefined ? { page_url: input.pageUrl } : {}),
        ...(input.attributes !== undefined ? { attributes: JSON.stringify({ ...existing.attributes, ...input.attributes }) } : {}),
      };
      const row = await this.db.updateTable('customers').set(patch).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      // Renamed or newly known by email: the search finds their tickets under the new words.
      if ((input.name !== undefined && input.name !== existing.name) || (input.email !== undefined && input.email !== existing.email)) await refreshHeads(this.db, { customerId: existing.id });
      return toCustomer(row);
    }
    const row = await this.db
      .insertInto('customers')
      .values({
        id: input.id ?? randomUUID(),
        channel: input.channel,
        external_id: null,
        name: input.name ?? null,
        email: input.email ?? null,
        attributes: JSON.stringify(input.attributes ?? {}),
        page_url: input.pageUrl ?? null,
        created_at: t,
        last_seen_at: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCustomer(row);
  }

  async ensure(channel: Channel, externalId: string, profile: Pick<CustomerPatch, 'name' | 'email'> = {}): Promise<Customer> {
    const t = now();
    const row = await this.db
      .insertInto('customers')
      .values({
        id: randomUUID(),
        channel,
        external_id: externalId,
        name: profile.name ?? null,
        email: profile.email ?? null,
        attributes: '{}',
        page_url: null,
        created_at: t,
        last_seen_at: t,
      })
      // The loser of a race updates nothing but last_seen_at and gets the winner's row back.
      .onConflict((oc) => oc.columns(['channel', 'external_id']).doUpdateSet({ last_seen_at: t }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCustomer(row);
  }
}
