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
  // Without email (no SMTP_URL) nothing may promise a reply by email: the reply waits in the chat.
  const emailReplies = config.email.enabled;
  const expectedReply =
    agentsOnline && open
      ? 'We usually reply within a few minutes.'
      : open
        ? emailReplies
          ? `Our team is busy right now. Leave your email and we'll reply within ${config.slaFirstResponseMinutes} minutes.`
          : `Our team is busy right now. We'll reply here within ${config.slaFirstResponseMinutes} minutes; come back to this chat to see it.`
        : emailReplies
          ? `We're offline right now (hours: ${hours}). Leave your email and we'll reply when we're back.`
          : `We're offline right now (hours: ${hours}). We'll reply here when we're back; come back to this chat to see it.`;
  return { agentsOnline, withinBusinessHours: open, emailReplies, expectedReply };
}
