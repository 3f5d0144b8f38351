import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Request as BotRequest, type Response as BotResponse } from 'botbuilder';
import express from 'express';
import type { ChannelContext, MountedChannel } from '../index';
import { TeamsInbound } from './inbound';
import { TeamsOutbound } from './outbound';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams activities are small; card submissions with a comment stay far below this. */
const BODY_LIMIT = '256kb';

/** Teams is configured in a way that would be unsafe or cannot work: the server refuses to start. */
export class TeamsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsConfigError';
  }
}

/**
 * The Microsoft Teams channel: Bot Framework activities arrive at POST /api/messages on the
 * shared Express app (CloudAdapter checks the Bot Framework JWT), everything said back is sent
 * proactively from the stored ConversationReference.
 *
 * Channel adapters translate, the engine decides: this adapter only maps activities →
 * ConversationService calls and engine Replies → Adaptive Cards (cards.ts is pure JSON). It
 * holds no conversation logic, so moving it to the Microsoft 365 Agents SDK (the successor of
 * botbuilder) means swapping CloudAdapter/TurnContext here and in inbound/outbound only.
 *
 * Configuration:
 * - MICROSOFT_APP_ID + MICROSOFT_APP_PASSWORD + MICROSOFT_APP_TENANT_ID (SingleTenant): every
 *   request must carry a valid Bot Framework token (401 otherwise).
 * - none of them, outside production: development mode for the Bot Framework Emulator, with
 *   authentication disabled (logged as a warning at start).
 * - none of them in production: Teams is disabled (no endpoint), or, with TEAMS_ENABLED=true,
 *   TeamsConfigError: production never runs an unauthenticated bot.
 * - only some of them: TeamsConfigError, anywhere (a half-configured bot never runs unauthenticated).
 * - TEAMS_ENABLED=false: off, whatever else is set.
 */
export async function mountTeams(ctx: ChannelContext): Promise<MountedChannel | undefined> {
  const { app, config, store, service, log, worker } = ctx;
  const { enabled, appId, appPassword, tenantId } = config.teams;
  if (enabled === false) {
    log.info('Teams disabled: TEAMS_ENABLED=false');
    return undefined;
  }
  const set = { MICROSOFT_APP_ID: !!appId, MICROSOFT_APP_PASSWORD: !!appPassword, MICROSOFT_APP_TENANT_ID: !!tenantId };
  const credentials = !!appId || !!appPassword;
  if (credentials && (!appId || !appPassword || !tenantId)) {
    const missing = Object.entries(set).filter(([, v]) => !v).map(([k]) => k);
    throw new TeamsConfigError(
      `Teams is half configured: ${missing.join(' and ')} not set. Set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID (SingleTenant Azure Bot), or none of them.`,
    );
  }
  if (!credentials && config.env === 'production') {
    if (enabled) {
      throw new TeamsConfigError(
        'TEAMS_ENABLED=true in production needs MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID: without them the bot would accept unauthenticated activities.',
      );
    }
    if (tenantId) throw new TeamsConfigError('MICROSOFT_APP_TENANT_ID is set without MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD: Teams would run unauthenticated in production.');
    log.info('Teams disabled: MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD not set');
    return undefined;
  }
  const teamsLog = log.child({ channel: 'msteams' });

  const auth = new ConfigurationBotFrameworkAuthentication(
    credentials ? { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenantId } : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_context, err) => {
    teamsLog.error({ err }, 'Teams turn failed');
  };
  const inbound = new TeamsInbound({ service, log: teamsLog, allowEmulator: !credentials, ...(tenantId ? { tenantId } : {}) });
  const outbound = new TeamsOutbound({ adapter, appId: appId ?? '', store, log: teamsLog, articleUrl: ctx.articleUrl });
  service.registerChannel('msteams', outbound);
  worker.register('msteams', outbound);

  // JSON only on this route: the rest of the app keeps its own parsers.
  app.post(TEAMS_MESSAGES_PATH, express.json({ limit: BODY_LIMIT }), async (req, res) => {
    if (credentials && !req.headers.authorization) {
      // CloudAdapter would say the same (after logging a stack trace per anonymous probe).
      res.status(401).json({ error: { code: 'unauthorized', message: 'Bot Framework token required' } });
      return;
    }
    await adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, async (context) => {
      try {
        await inbound.onTurn(context);
      } catch (err) {
        // Logged, and still a 200: a retried activity would only be dropped as a duplicate.
        teamsLog.error({ err, activityId: context.activity.id }, 'Teams activity failed');
      }
    });
  });

  if (credentials) {
    teamsLog.info({ appId, tenantId }, `Teams enabled at POST ${TEAMS_MESSAGES_PATH} (SingleTenant, Bot Framework authentication on)`);
  } else {
    teamsLog.warn(
      `Teams in DEVELOPMENT MODE at POST ${TEAMS_MESSAGES_PATH}: MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD/MICROSOFT_APP_TENANT_ID are not set, so authentication is disabled. For the Bot Framework Emulator only; never expose this endpoint.`,
    );
  }

  return {
    name: 'msteams',
    async close() {
      // Nothing of its own to stop: activities are handled inside their HTTP request, which
      // the server drains on close.
    },
  };
}
