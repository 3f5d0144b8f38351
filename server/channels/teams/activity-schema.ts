import type { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * The shape of an inbound Bot Framework activity, checked after authentication and before the
 * adapter sees it: botbuilder assumes these types (it calls `serviceUrl.toLowerCase()`, reads
 * `conversation.id` …), so anything else is a 400 with the usual JSON error, never a crash.
 * Unknown fields are kept: Teams adds new ones over time.
 */
/**
 * Bot Framework ids are printable ASCII (`29:1abc…`, `a:1…`, `19:…@thread.tacv2;messageid=…`):
 * they travel back in URL paths and headers (x-ms-conversation-id), where anything else fails.
 */
const id = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7E]+$/, 'ids are printable ASCII');

const account = z.looseObject({
  id: id(1024),
  name: z.string().max(1024).optional(),
  aadObjectId: id(256).optional(),
});

export const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: id(1024).optional(),
  channelId: id(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account.optional(),
  conversation: z.looseObject({
    id: id(2048),
    conversationType: z.string().max(64).optional(),
    tenantId: z.string().max(256).optional(),
  }),
  text: z.string().max(100_000).optional(),
  // Copied into the conversation reference and every reply (botbuilder serialises them as strings).
  locale: z.string().max(64).optional(),
  textFormat: z.string().max(64).optional(),
  timestamp: z.string().max(64).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(128).optional(),
  name: z.string().max(256).optional(),
  valueType: z.string().max(256).optional(),
  deliveryMode: z.string().max(64).optional(),
  channelData: z.looseObject({}).optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(50).optional(),
  replyToId: id(1024).optional(),
  membersAdded: z.array(account).max(1000).optional(),
  entities: z.array(z.looseObject({ type: z.string().max(256) })).max(100).optional(),
});

/** What authentication may look at before the body is trusted: strings or nothing. */
export function authenticationView(body: unknown): Partial<Activity> {
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const channelId = str(b.channelId);
  const serviceUrl = str(b.serviceUrl);
  return { ...(channelId ? { channelId } : {}), ...(serviceUrl ? { serviceUrl } : {}) };
}
