import { z } from 'zod';
import { CSAT_SCALE, NPS_MAX } from '../../bot/types';
import type { Action } from './transcript';

/**
 * Validation of an Action coming back from any platform (a widget frame, a Slack button
 * value, a Teams card submission): every channel checks button data with this one schema.
 */
const candidate = z.object({ kind: z.enum(['article', 'intent']), id: z.string().max(120) });
export const actionSchema: z.ZodType<Action> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('feedback'), helpful: z.boolean(), articleId: z.string().max(120).optional(), intent: z.string().max(120).optional() }),
  z.object({ kind: z.literal('choose'), candidate }),
  z.object({ kind: z.literal('handoff') }),
  z.object({ kind: z.literal('ces'), score: z.number().int().min(1).max(7), comment: z.string().max(1000).optional() }),
  z.object({ kind: z.literal('csat'), score: z.number().int().min(1).max(CSAT_SCALE) }),
  z.object({ kind: z.literal('nps'), score: z.number().int().min(0).max(NPS_MAX) }),
  z.object({ kind: z.literal('email'), email: z.email().max(254) }),
]) as z.ZodType<Action>;
