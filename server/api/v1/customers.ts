import { z } from 'zod';
import { createCustomer, identifyCustomer, updateCustomer } from '../../conversations/customers';
import { notFound } from '../../domain/errors';
import { positionOf } from '../../store/api-reads';
import { decodePosition, pageOf } from '../cursor';
import { presentCustomer } from '../present';
import { op } from '../registry';
import { Attributes, Customer, listQuery, page } from '../schemas';
import type { ApiDeps } from './deps';

const details = {
  name: z.string().trim().min(1).max(120).optional(),
  email: z.email().max(254).optional(),
  attributes: Attributes.optional(),
};
const one = z.object({ customer: Customer });

export const customerOperations = ({ store }: ApiDeps) => [
  op({
    method: 'post',
    path: '/customers',
    operationId: 'createCustomer',
    summary: 'Create a customer',
    tag: 'Customers',
    scope: 'conversations:write',
    body: z.object({ externalId: z.string().trim().min(1).max(128).optional().meta({ description: 'Your own id for this person.' }), ...details }),
    status: 201,
    response: one,
    handle: async ({ body }) => ({ customer: presentCustomer(await createCustomer(store, body)) }),
  }),
  op({
    method: 'post',
    path: '/customers/identify',
    operationId: 'identifyCustomer',
    summary: 'Identify a customer by external id or email (created if new)',
    description: 'Finds the customer with this externalId (or, without one, this email), creates it if there is none, and merges the given details and attributes.',
    tag: 'Customers',
    scope: 'conversations:write',
    body: z.object({ externalId: z.string().trim().min(1).max(128).optional(), ...details }),
    response: z.object({ customer: Customer, created: z.boolean() }),
    handle: async ({ body }) => {
      const { customer, created } = await identifyCustomer(store, body);
      return { customer: presentCustomer(customer), created };
    },
  }),
  op({
    method: 'get',
    path: '/customers',
    operationId: 'listCustomers',
    summary: 'List customers (newest first)',
    tag: 'Customers',
    scope: 'read',
    query: z.object({ ...listQuery, email: z.string().max(254).optional() }),
    response: page(Customer),
    handle: async ({ query }) => pageOf(await store.apiReads.customers(decodePosition(query.cursor), query.limit + 1, query.email ? { email: query.email } : {}), query.limit, presentCustomer, positionOf),
  }),
  op({
    method: 'get',
    path: '/customers/{id}',
    operationId: 'getCustomer',
    summary: 'Read a customer',
    tag: 'Customers',
    scope: 'read',
    response: one,
    handle: async ({ params }) => {
      const customer = await store.customers.get(params.id!);
      if (!customer) throw notFound('customer', params.id);
      return { customer: presentCustomer(customer) };
    },
  }),
  op({
    method: 'patch',
    path: '/customers/{id}',
    operationId: 'updateCustomer',
    summary: 'Update a customer’s details and attributes (attributes are merged)',
    tag: 'Customers',
    scope: 'conversations:write',
    body: z.object(details),
    response: one,
    handle: async ({ params, body }) => ({ customer: presentCustomer(await updateCustomer(store, params.id!, body)) }),
  }),
];
