import { type Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import { isLoopbackHost } from '../../config';
import type { ChannelContext, MountedChannel } from '../index';
import { bodyOf, jsonBodyAfterAuth } from '../../http/body';
import { activitySchema, authenticationView } from './activity-schema';
import { TeamsInbound } from './inbound';
import { TeamsOutbound } from './outbound';

/** CloudAdapter that runs an activity authenticated beforehand (its process() parses first, then authenticates). */
class PreAuthenticatedAdapter extends CloudAdapter {
  run(authenticated: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authenticated, activity, logic);
  }
}

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
  if (!credentials && !isLoopbackHost(config.host)) {
    // Without credentials anyone who reaches the port could speak as any Teams member and
    // choose where that member's answers are sent: only this machine may reach it.
    const why = `Teams without MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD/MICROSOFT_APP_TENANT_ID accepts unauthenticated activities, so it runs only when the server listens on loopback (HOST=127.0.0.1), not on HOST=${config.host}.`;
    if (enabled) throw new TeamsConfigError(`TEAMS_ENABLED=true: ${why} Set the credentials or HOST=127.0.0.1.`);
    log.warn(`Teams disabled: ${why}`);
    return undefined;
  }
  const teamsLog = log.child({ channel: 'msteams' });

  const auth = new ConfigurationBotFrameworkAuthentication(
    credentials ? { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenantId } : {},
  );
  const adapter = new PreAuthenticatedAdapter(auth);
  adapter.onTurnError = async (_context, err) => {
    teamsLog.error({ err }, 'Teams turn failed');
  };
  const inbound = new TeamsInbound({ service, log: teamsLog, allowEmulator: !credentials, ...(tenantId ? { tenantId } : {}) });
  const outbound = new TeamsOutbound({ adapter, appId: appId ?? '', store, log: teamsLog, articleUrl: ctx.articleUrl });
  service.registerChannel('msteams', outbound);
  worker.register('msteams', outbound);

  // JSON only on this route; a body that does not parse is remembered, not answered yet:
  // authentication comes first, so an anonymous caller learns nothing from our parser.
  app.post(TEAMS_MESSAGES_PATH, jsonBodyAfterAuth({ limit: BODY_LIMIT }), async (req, res) => {
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    if (credentials && !authHeader) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'Bot Framework token required' } });
      return;
    }
    let authenticated: AuthenticateRequestResult;
    try {
      // Only the token and two plain strings of the body take part in authentication.
      authenticated = await auth.authenticateRequest(authenticationView(req.body) as Activity, authHeader);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 401 || status === 403) {
        res.status(401).json({ error: { code: 'unauthorized', message: 'invalid Bot Framework token' } });
        return;
      }
      // The token could not be checked (Microsoft's signing keys unreachable): not the caller's fault, not accepted either.
      teamsLog.warn({ err }, 'Teams token could not be verified');
      res.status(503).json({ error: { code: 'auth_unavailable', message: 'the Bot Framework token could not be verified; try again' } });
      return;
    }
    const parsed = activitySchema.safeParse(bodyOf(req, res));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({ error: { code: 'invalid_activity', message: `not a Bot Framework activity${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}`.slice(0, 300) } });
      return;
    }
    const invoke = await adapter.run(authenticated, parsed.data as unknown as Activity, async (context) => {
      try {
        await inbound.onTurn(context);
      } catch (err) {
        // Logged, and still a 200: a retried activity would only be dropped as a duplicate.
        teamsLog.error({ err, activityId: context.activity.id }, 'Teams activity failed');
      }
    });
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.json(invoke.body);
    else res.end();
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
