import { z } from 'zod';
import type { Store } from '../store/types';

/**
 * Which surveys follow a resolution. CES is always asked; CSAT and NPS are switched on in the
 * console settings (their defaults come from the environment), each at most once per
 * conversation and at most once per customer in `customerIntervalDays`.
 */
export interface SurveySettings {
  csat: boolean;
  nps: boolean;
  customerIntervalDays: number;
}

export const surveySettingsPatch = z
  .object({ csat: z.boolean(), nps: z.boolean(), customerIntervalDays: z.number().int().min(0).max(365) })
  .partial()
  .strict();

const KEY = 'surveys';

export async function surveySettings(store: Store, defaults: SurveySettings): Promise<SurveySettings> {
  const raw = await store.metrics.setting(KEY);
  if (!raw) return defaults;
  try {
    return { ...defaults, ...surveySettingsPatch.parse(JSON.parse(raw)) };
  } catch {
    // A row written by a later version or by hand: the defaults are the safe answer.
    return defaults;
  }
}

/**
 * Which follow-up surveys this customer may be asked now: switched on, and not asked in the
 * last `customerIntervalDays` (in any conversation or channel of this customer record).
 */
export async function followUpSurveys(store: Store, defaults: SurveySettings, customerId: string): Promise<{ csat: boolean; nps: boolean }> {
  const settings = await surveySettings(store, defaults);
  const since = new Date(Date.now() - settings.customerIntervalDays * 86_400_000).toISOString();
  const [csat, nps] = await Promise.all([
    settings.csat && settings.customerIntervalDays > 0 ? store.metrics.surveyAskedSince(customerId, 'csat', since) : false,
    settings.nps && settings.customerIntervalDays > 0 ? store.metrics.surveyAskedSince(customerId, 'nps', since) : false,
  ]);
  return { csat: settings.csat && !csat, nps: settings.nps && !nps };
}

export async function saveSurveySettings(store: Store, defaults: SurveySettings, patch: z.infer<typeof surveySettingsPatch>): Promise<SurveySettings> {
  const next = { ...(await surveySettings(store, defaults)), ...patch };
  await store.metrics.saveSetting(KEY, JSON.stringify(next));
  return next;
}
