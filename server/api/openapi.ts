import { z } from 'zod';
import { API_SCOPES } from '../store/api-keys';
import { EVENT_DATA, EVENT_DESCRIPTIONS, EVENT_TYPES, eventEnvelope } from '../webhooks/catalogue';
import type { Operation } from './registry';
import { ErrorBody } from './schemas';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document, made from the operations' own zod schemas (zod 4's JSON Schema
 * output is draft 2020-12, OpenAPI 3.1's dialect). Named schemas (`.meta({ id })`) become
 * components; everything else is inlined where it is used.
 */
export function openApiDocument(operations: Operation[], options: { serverUrl: string; version: string }): Json {
  const components: Record<string, unknown> = {};
  const schema = (s: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$schema;
    delete json.$defs;
    for (const [id, def] of Object.entries(defs)) components[id] ??= relink(def);
    return relink(json);
  };

  const errors = (codes: number[]) =>
    Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));

  const paths: Record<string, Record<string, Json>> = {};
  for (const o of operations) {
    const pathParams = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = o.query ? schema(o.query, 'input') : undefined;
    const queryParams = Object.entries((query?.properties ?? {}) as Record<string, Json>).map(([name, s]) => ({
      name,
      in: 'query',
      required: ((query?.required as string[] | undefined) ?? []).includes(name) && s.default === undefined,
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      schema: s,
    }));
    const status = String(o.status ?? (o.response === undefined ? 204 : 200));
    const success =
      o.response === undefined
        ? { description: 'Done (no content).' }
        : o.response === 'csv'
          ? { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }
          : { description: 'Success.', content: { 'application/json': { schema: schema(o.response, 'output') } } };
    const codes = [400, 401, 403, ...(o.path.includes('{') ? [404] : []), ...(o.method === 'post' ? [409] : []), ...(o.body ? [413] : []), 429];
    (paths[o.path] ??= {})[o.method] = {
      operationId: o.operationId,
      summary: o.summary,
      ...(o.description ? { description: o.description } : {}),
      tags: [o.tag],
      'x-scope': o.scope,
      security: [{ apiKey: [] }],
      parameters: [
        ...pathParams,
        ...queryParams,
        ...(o.method === 'post' ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Retry-safe POST: the same key and request return the first response, and the work is done once.', schema: { type: 'string', maxLength: 255 } }] : []),
      ],
      ...(o.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(o.body, 'input') } } } } : {}),
      responses: { [status]: success, ...errors(codes) },
    };
  }

  const webhooks = Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: type,
          description: `${EVENT_DESCRIPTIONS[type]} Signed with the answerdesk-signature header.`,
          requestBody: { content: { 'application/json': { schema: schema(eventEnvelope(type, EVENT_DATA[type]), 'output') } } },
          responses: { '200': { description: 'Any 2xx acknowledges; anything else is retried with backoff for up to 24 hours.' } },
        },
      },
    ]),
  );
  // A named schema converted on its own is a $ref to its own definition, which is already a component.
  schema(ErrorBody, 'output');

  return {
    openapi: '3.1.0',
    info: {
      title: 'answerdesk API',
      version: options.version,
      description:
        'Customers, conversations, tickets, the help centre, surveys and metrics, and webhook subscriptions. Authenticate with `Authorization: Bearer <API key>`; each operation names the scope it needs (`x-scope`; `admin` grants all). Lists are paginated with `cursor` / `nextCursor`. Errors are `{"error":{"code","message"}}`.',
    },
    servers: [{ url: `${options.serverUrl}/api/v1` }],
    tags: ['Customers', 'Conversations', 'Tickets', 'Knowledge', 'Reports', 'Webhooks'].map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas: components,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: `API keys (ak_…) created by admins in the console; scopes: ${API_SCOPES.join(', ')}. The deprecated ADMIN_API_TOKEN acts as a key with every scope.` } },
    },
  };
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Missing, invalid or revoked API key.',
  403: 'The key lacks the scope this operation needs.',
  404: 'Not found.',
  409: 'Conflict (e.g. already claimed, or an Idempotency-Key still in progress).',
  413: 'The body, or the message in it, is too large.',
  429: 'Rate limit of the key reached; see Retry-After.',
};

/** zod names refs `#/$defs/X`; in the document they live under components. */
function relink<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}
