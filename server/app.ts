import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { ConversationEngine } from '../bot/engine';
import type { KnowledgeBundle } from '../bot/knowledge-bundle';
import { agentAuth } from './auth/agent-auth';
import { hashPassword } from './auth/passwords';
import { VisitorTokens } from './auth/visitor-token';
import type { Config } from './config';
import { ConversationService } from './conversations';
import { mountChannels } from './channels';
import { isWidgetSocketPath, mountWeb } from './channels/web';
import { WidgetPresence } from './channels/web/presence';
import { type MountedEmail, mountEmail } from './channels/email';
import type { WidgetSockets } from './channels/web/sockets';
import { MetricsJobs } from './metrics/scheduler';
import { DeliveryWorker } from './outbox/worker';
import { SetupCode } from './auth/setup-code';
import { edgeNormalisation, edgeQueryParser } from './http/edge';
import { errorHandler, notFound } from './http/errors';
import { cspNonce, originChecker, securityHeaders, widgetCors } from './http/security';
import { LocalBus, type RealtimeBus } from './realtime/bus';
import { KnowledgeRuntime } from './kb/runtime';
import { knowledgeRoutes } from './routes/knowledge';
import { KnowledgeService } from './kb/service';
import { ImproveInbox } from './kb/inbox';
import { authRoutes } from './routes/auth';
import { consoleRoutes } from './routes/console';
import { emailRoutes } from './routes/email';
import { helpRoutes } from './routes/help';
import { metricsRoutes } from './routes/metrics';
import { ticketRoutes } from './routes/tickets';
import { uiRoutes, widgetConfigRoute } from './routes/ui';
import { uiTicketRoutes } from './routes/ui-tickets';
import { attachmentRoutes } from './routes/attachments';
import { resolveSecret } from './secrets';
import { publicApi } from './api';
import { integrationRoutes } from './routes/integrations';
import { startWebhooks } from './webhooks';
import { WebhookAdmin } from './webhooks/admin';
import type { Agent, Store } from './store/types';

export interface AnswerdeskOptions {
  config: Config;
  log: Logger;
  store: Store;
  /** Serve this bundle until the stored knowledge base is built (tests); main.ts builds from storage. */
  bundle?: KnowledgeBundle;
  bus?: RealtimeBus;
  /** Where the built widget lives (dist/widget). */
  widgetDir?: string;
  /** Where the built agent console lives (dist/console). */
  consoleDir?: string;
  /** How a failed sign-in waits (default: a timer); tests record the growing delays instead. */
  loginDelay?: (ms: number) => Promise<void>;
}

export interface Answerdesk {
  app: Express;
  /** The first-run set-up code while no agent exists (printed in the log at listen). */
  setupCode(): string | undefined;
  server: Server;
  service: ConversationService;
  sockets: WidgetSockets;
  worker: DeliveryWorker;
  /** Email, when SMTP_URL is set (its SMTP receiver's port, IMAP poller, tokens). */
  email: MountedEmail | undefined;
  presence: WidgetPresence;
  knowledge: KnowledgeRuntime;
  store: Store;
  bus: RealtimeBus;
  config: Config;
  /** Listen and return the bound port (0 in config picks a free one). */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const API_AGENT_EMAIL = 'api@answerdesk.invalid';
/** On close, HTTP requests already being handled get this long to finish. */
const HTTP_DRAIN_MS = 5_000;

/** The agent that acts when a script uses the admin API token. */
async function ensureApiAgent(store: Store): Promise<Agent> {
  const existing = await store.agents.byEmail(API_AGENT_EMAIL);
  if (existing) return existing;
  try {
    // Random password nobody knows: this account can only act through the API token.
    return await store.agents.create({ email: API_AGENT_EMAIL, name: 'Support team', role: 'admin', passwordHash: await hashPassword(randomBytes(32).toString('hex')) });
  } catch {
    return (await store.agents.byEmail(API_AGENT_EMAIL))!;
  }
}

export async function createAnswerdesk(options: AnswerdeskOptions): Promise<Answerdesk> {
  const { config, log, store } = options;
  const bus = options.bus ?? new LocalBus();
  const widgetDir = options.widgetDir ?? join(process.cwd(), 'dist', 'widget');
  const knowledge = await KnowledgeRuntime.create({ store, bus, log, thresholds: config.thresholds, ...(options.bundle ? { initial: options.bundle } : { cacheDir: config.dataDir }) });
  const bundle = () => knowledge.bundle();
  // Article links are root-relative: they work on the demo page and in the console alike;
  // channels that leave the site (Slack, Teams) prefix PUBLIC_URL themselves.
  const articlePath = (id: string) => `/help/articles/${encodeURIComponent(id)}`;
  const engine = new ConversationEngine({ matcher: knowledge.matcher, articleUrl: articlePath, cesScale: config.ces.scale, csat: config.csat.enabled });
  const worker = new DeliveryWorker({ store, bus, log, leaseMs: config.outbox.leaseMs, pollMs: config.outbox.pollMs });
  const service = new ConversationService({ store, engine, bus, config, log, nudgeDelivery: () => worker.nudge() });
  const secret = resolveSecret(config.secret, config.dataDir, config.env === 'test');
  const tokens = new VisitorTokens(secret);
  const apiAgent = await ensureApiAgent(store);
  // First run: no agent yet, so the first admin needs the one-time code printed in the log.
  const setupCode = new SetupCode((await store.agents.list()).every((a) => a.id === apiAgent.id));
  const requireAgent = agentAuth({ store, ...(config.adminApiToken ? { adminApiToken: config.adminApiToken } : {}), apiAgent: () => apiAgent });
  const isAllowedOrigin = originChecker(config);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Edge normalisation before anything reads input, channels included (server/http/edge.ts).
  app.set('query parser', edgeQueryParser);
  app.use(edgeNormalisation());
  app.use(cspNonce);
  app.use(securityHeaders({ https: (config.publicUrl ?? '').startsWith('https://') }));

  const publicBase = config.publicUrl ?? `http://localhost:${config.port}`;
  const channels = await mountChannels({ app, config, store, service, bus, log, worker, articleUrl: (id) => publicBase + articlePath(id) });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ready', articles: bundle().kb.articles.length, builtAt: bundle().builtAt, knowledgeVersion: knowledge.version() });
    } catch {
      res.status(503).json({ error: { code: 'not_ready', message: 'database unreachable' } });
    }
  });

  // The source tree has widget/demo.html; a production install has only dist/ (the build copies it).
  const demoFile = [join(process.cwd(), 'widget', 'demo.html'), join(process.cwd(), 'dist', 'demo.html')].find((f) => existsSync(f));
  const demoPage = () => (demoFile ? readFileSync(demoFile, 'utf8') : '<!doctype html><title>answerdesk</title><p>The demo page is not built.</p>');
  app.get('/', (_req, res) => {
    res.type('html').send(demoPage().replaceAll('__CSP_NONCE__', res.locals.nonce ?? ''));
  });
  app.use(express.static(widgetDir, { index: false, maxAge: '5m' }));

  app.use('/help', helpRoutes({ bundle, store, ipPerMinute: config.rateLimits.ipPerMinute, publicUrl: config.publicUrl, widgetKey: config.widgetKeys[0], log, availability: () => service.availability(), defaultLocale: config.defaultLocale }));
  const presence = new WidgetPresence(store.email.presence, log);
  await presence.ready;
  const email = await mountEmail({ app, config, store, service, bus, log, worker, articleUrl: (id) => publicBase + articlePath(id) }, { secret, visitorTokens: tokens, publicBase });
  if (email) channels.push(email);
  const sockets = mountWeb(
    { app, config, store, service, bus, log, worker, articleUrl: articlePath },
    {
      presence,
      tokens,
      isAllowedOrigin,
      search: () => bundle().search,
      summaries: () => new Map(bundle().kb.articles.map((a) => [a.id, a.summary])),
      articlePath,
    },
  );
  // Public API, its reference, and the console's integration pages (issue 19).
  const webhookAdmin = new WebhookAdmin({ store, events: service.events, config });
  const improveInbox = new ImproveInbox(store, () => knowledge.matcher, (id) => knowledge.bundle().kb.articles.find((a) => a.id === id)?.title);
  const webhooks = startWebhooks({ store, log, config, worker, events: service.events, inbox: improveInbox });
  // One editor of the knowledge base for the console and the API (validation, history, going live, article.published).
  const articleEditor = new KnowledgeService(store, knowledge, { emitter: service.events, articleUrl: (id) => publicBase + articlePath(id) });
  const api = publicApi({ store, service, bundle, config, articleUrl: (id) => publicBase + articlePath(id), webhooks: webhookAdmin, apiAgent: () => apiAgent, publicBase, knowledge: articleEditor });
  app.use('/api/v1', api.v1);
  app.use('/api/docs', api.docs);
  app.use('/api/admin', integrationRoutes({ store, requireAgent, webhooks: webhookAdmin }));
  // Widget branding, console settings, agent typing, search (issue 16: server/routes/ui.ts).
  app.use('/api/widget', widgetCors(isAllowedOrigin), widgetConfigRoute({ store, config, articles: () => bundle().kb.articles, articlePath }));
  app.use('/api', attachmentRoutes({ store, service, requireAgent, tokens, bus, publicUrl: config.publicUrl }));
  app.use('/api', uiRoutes({ store, config, requireAgent, bus }));
  app.use('/api', uiTicketRoutes({ store, service, requireAgent, bundle, articlePath }));
  app.use('/api/tickets', ticketRoutes({ store, service, requireAgent, bus, messageMaxBytes: config.messageMaxBytes }));
  const isApiAgent = (a: Agent) => a.id === apiAgent.id;
  const secureCookies = (config.publicUrl ?? '').startsWith('https://');
  app.use('/api/auth', authRoutes({ store, requireAgent, secureCookies, bus, isApiAgent, setupCode, ...(options.loginDelay ? { delay: options.loginDelay } : {}) }));
  // Before consoleRoutes: its 32 kB JSON parser would refuse articles before ours sees them.
  app.use('/api', knowledgeRoutes({ store, requireAgent, knowledge, articlePath, editor: articleEditor }));
  app.use('/api', consoleRoutes({ store, requireAgent, bus, isApiAgent }));
  app.use('/api', emailRoutes({ store, service, requireAgent }));
  const surveyDefaults = { csat: config.csat.enabled, ...config.surveys };
  app.use('/api', metricsRoutes({ store, requireAgent, bundle, surveyDefaults }));
  const metricsJobs = new MetricsJobs({
    ...{ store, bus, log, idleResolveMs: config.metrics.idleResolveMs, pollMs: config.metrics.jobPollMs, leaseMs: config.metrics.jobLeaseMs, batch: config.metrics.jobBatch },
    // CES after every resolution, the assumed ones too (in the conversation's own channel).
    onClosed: (c) => (c.outcome === 'assumed' ? service.askForEffort(c.id) : Promise.resolve()),
  });

  // The agent console: one page app for /console and /console/dashboard.
  const consoleDir = options.consoleDir ?? join(process.cwd(), 'dist', 'console');
  app.use('/console', express.static(consoleDir, { index: false, redirect: false, maxAge: '5m' }));
  app.get(['/console', '/console/', '/console/dashboard', '/console/knowledge', '/console/improve'], (_req, res) => {
    res.sendFile(join(consoleDir, 'index.html'));
  });

  const server = createServer(app);
  // Requests being handled, so close() can let them finish (event streams never do).
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
  });
  const draining = () => [...inFlight].some((res) => !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream'));
  server.on('upgrade', (req, socket, head) => {
    if (isWidgetSocketPath(req.url)) return sockets.handleUpgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  const finish = () => {
    app.use(notFound);
    app.use(errorHandler(log));
  };

  let finished = false;
  return {
    app,
    setupCode: () => setupCode.value,
    server,
    service,
    sockets,
    worker,
    email,
    presence,
    knowledge,
    store,
    bus,
    config,
    async listen(port = config.port, host = config.host) {
      if (!finished) {
        finish();
        finished = true;
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      worker.start();
      const bound = (server.address() as AddressInfo).port;
      if (setupCode.value) {
        const consoleUrl = `${config.publicUrl ?? `http://localhost:${bound}`}/console`;
        log.warn(
          { setupCode: setupCode.value },
          `First run: no agent exists yet. Open ${consoleUrl} and enter the set-up code ${setupCode.value} to create the first admin (or run \`npm run agent:add -- --email you@example.com --name You --role admin\`). The code works once.`,
        );
      }
      metricsJobs.start();
      return bound;
    },
    /**
     * Graceful stop: no new connections; widget sockets finish their in-flight frames and are
     * told to reconnect; HTTP requests being handled get HTTP_DRAIN_MS; then the bus closes.
     * The store is the caller's to close.
     */
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sockets.close();
      await presence.close();
      await Promise.allSettled(channels.map((c) => c.close()));
      // Deliveries under way finish (bounded by the platform timeouts); the rest wait in the outbox.
      await webhooks.close();
      await worker.stop();
      await metricsJobs.stop();
      const deadline = Date.now() + HTTP_DRAIN_MS;
      while (draining() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      server.closeAllConnections();
      await stopped;
      await knowledge.close();
      await bus.close();
    },
  };
}
