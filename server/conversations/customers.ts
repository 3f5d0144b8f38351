import { conflict, invalid, notFound } from '../domain/errors';
import type { Customer, Store } from '../store/types';

export interface CustomerInput {
  externalId?: string;
  email?: string;
  name?: string;
  attributes?: Customer['attributes'];
}

/** At most this many attributes per customer. */
const MAX_ATTRIBUTES = 50;

function checkAttributes(existing: Customer['attributes'], added: Customer['attributes'] | undefined): void {
  if (added && Object.keys({ ...existing, ...added }).length > MAX_ATTRIBUTES) throw invalid('too_many_attributes', `a customer has at most ${MAX_ATTRIBUTES} attributes`);
}

/**
 * Customers as a site knows them (its own user id, or an email): web customers (channel
 * `web`), whose conversations run like widget conversations (one thread per customer).
 */
export async function createCustomer(store: Store, input: CustomerInput): Promise<Customer> {
  checkAttributes({}, input.attributes);
  if (input.externalId) {
    if (await store.customers.findByExternalId('web', input.externalId)) throw conflict('customer_exists', 'a customer with this externalId exists; use identify or update it');
    const created = await store.customers.ensure('web', input.externalId, { ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}) });
    return input.attributes ? store.customers.save({ id: created.id, channel: 'web', attributes: input.attributes }) : created;
  }
  return store.customers.save({ channel: 'web', ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}), ...(input.attributes ? { attributes: input.attributes } : {}) });
}

export async function updateCustomer(store: Store, id: string, patch: Omit<CustomerInput, 'externalId'>): Promise<Customer> {
  const existing = await store.customers.get(id);
  if (!existing) throw notFound('customer', id);
  checkAttributes(existing.attributes, patch.attributes);
  return store.customers.save({ id, channel: existing.channel, ...patch });
}

/**
 * Identify: the customer with this external id (first) or email, created if there is none,
 * with the given details and attributes merged in. Race-free for external ids (unique index).
 */
export async function identifyCustomer(store: Store, input: CustomerInput): Promise<{ customer: Customer; created: boolean }> {
  if (!input.externalId && !input.email) throw invalid('identity_missing', 'give an externalId or an email');
  let found = input.externalId ? await store.customers.findByExternalId('web', input.externalId) : undefined;
  if (!found && input.email && !input.externalId) found = await store.apiReads.customerByEmail(input.email);
  if (!found) return { customer: await createCustomer(store, input).catch(async (err) => (input.externalId && (await store.customers.findByExternalId('web', input.externalId))) || Promise.reject(err)), created: true };
  const patch = { ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}), ...(input.attributes ? { attributes: input.attributes } : {}) };
  return { customer: await updateCustomer(store, found.id, patch), created: false };
}
