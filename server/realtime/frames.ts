import { z } from 'zod';
import { CSAT_SCALE } from '../../bot/types';
import type { ClientFrame } from './protocol';

const candidate = z.object({ kind: z.enum(['article', 'intent']), id: z.string().max(120) });
export const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('feedback'), helpful: z.boolean(), articleId: z.string().max(120).optional(), intent: z.string().max(120).optional() }),
  z.object({ kind: z.literal('choose'), candidate }),
  z.object({ kind: z.literal('handoff') }),
  z.object({ kind: z.literal('ces'), score: z.number().int().min(1).max(7), comment: z.string().max(1000).optional() }),
  z.object({ kind: z.literal('csat'), score: z.number().int().min(1).max(CSAT_SCALE) }),
  z.object({ kind: z.literal('email'), email: z.email().max(254) }),
]);

const clientId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be url-safe');

/** Inbound frames are validated here; anything else is answered with an `error` frame. */
export const clientFrameSchema: z.ZodType<ClientFrame> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), conversationId: z.string().max(64).optional(), lastSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('message'), clientId, text: z.string() }),
  z.object({ type: z.literal('action'), clientId, action: actionSchema, label: z.string().max(200) }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('ping') }),
]) as z.ZodType<ClientFrame>;

// C0/C1 controls other than tab and newline carry no meaning in a chat message.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Customer text as stored: controls removed, trimmed. Size is checked by the caller. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, '').trim();
}
