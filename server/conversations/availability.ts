import { describeBusinessHours, withinBusinessHours } from '../business-hours';
import type { Config } from '../config';
import type { Store } from '../store/types';

import type { Availability } from '../domain/views';

/** Agents seen within this window count as online (the console sends presence heartbeats). */
const PRESENCE_WINDOW_MS = 2 * 60_000;

export async function availability(store: Store, config: Config): Promise<Availability> {
  const agents = await store.agents.list();
  const cutoff = Date.now() - PRESENCE_WINDOW_MS;
  const agentsOnline = agents.some((a) => a.presence === 'online' && a.lastSeenAt !== null && Date.parse(a.lastSeenAt) >= cutoff);
  const open = withinBusinessHours(config.businessHours);
  const hours = describeBusinessHours(config.businessHours);
  const expectedReply =
    agentsOnline && open
      ? 'We usually reply within a few minutes.'
      : open
        ? `Our team is busy right now. Leave your email and we'll reply within ${config.slaFirstResponseMinutes} minutes.`
        : `We're offline right now (hours: ${hours}). Leave your email and we'll reply when we're back.`;
  return { agentsOnline, withinBusinessHours: open, expectedReply };
}
