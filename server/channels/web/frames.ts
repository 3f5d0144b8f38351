import { z } from 'zod';
import { actionSchema } from '../../domain/action-schema';
import { boundedInt, INT32_MAX } from '../../domain/input';
import type { ClientFrame } from './protocol';

const clientId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be url-safe');
/** Sequence numbers are stored as 32-bit integers: anything larger is not a sequence number we sent. */
const seq = boundedInt(0, INT32_MAX);

/** Inbound frames are validated here; anything else is answered with an `error` frame. */
export const clientFrameSchema: z.ZodType<ClientFrame> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), conversationId: z.string().max(64).optional(), lastSeq: seq, pin: z.string().max(64).optional() }),
  z.object({ type: z.literal('message'), clientId, text: z.string() }),
  z.object({ type: z.literal('action'), clientId, action: actionSchema, label: z.string().max(200), conversationId: z.string().max(64).optional() }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('ping') }),
]) as z.ZodType<ClientFrame>;
