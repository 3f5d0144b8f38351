/**
 * The widget's and help centre's look, edited by admins in the console's Settings and read by
 * every widget on load (so a change needs no new snippet). Validated here, once.
 */
import { z } from 'zod';

const HEX = /^#[0-9a-f]{6}$/i;

export const brandingSchema = z.object({
  /** Any colour; the widget picks readable text on it and darkens it where it is text on white. */
  brandColor: z.string().regex(HEX, 'a colour like #0f766e'),
  position: z.enum(['right', 'left']),
  /** Shown in the widget header; empty: the embed's data-title, else "Support". */
  teamName: z.string().trim().max(60),
  /** The first thing a visitor reads; empty: the translated default greeting. */
  greeting: z.string().trim().max(300),
  /** https image shown in the header and as the bot's avatar; empty: initials. */
  logoUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]),
  /** Agent and bot avatars beside messages. */
  showAvatars: z.boolean(),
  /** The team-presence line in the header ("Alex and Sam are online"). */
  showPresence: z.boolean(),
  /** What the help centre calls itself. */
  helpCentreName: z.string().trim().min(1).max(60),
});

export type Branding = z.infer<typeof brandingSchema>;

export const DEFAULT_BRANDING: Branding = {
  brandColor: '#1d4ed8',
  position: 'right',
  teamName: '',
  greeting: '',
  logoUrl: '',
  showAvatars: true,
  showPresence: true,
  helpCentreName: 'Help centre',
};

/** A stored value from an older version or a hand edit: keep what is valid, default the rest. */
export function readBranding(stored: unknown): Branding {
  const out: Record<string, unknown> = { ...DEFAULT_BRANDING };
  if (stored && typeof stored === 'object') {
    for (const [key, field] of Object.entries(brandingSchema.shape)) {
      const parsed = field.safeParse((stored as Record<string, unknown>)[key]);
      if (parsed.success) out[key] = parsed.data;
    }
  }
  return out as Branding;
}
