import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { BUSINESS_HOURS, envSchema as schema } from './config-env';

/**
 * The one place configuration is read (the variables, defaults and limits: config-env.ts).
 * Everything else receives a typed `Config`; nothing else looks at `process.env`.
 */

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  /** Where to listen: HOST, else 127.0.0.1 outside production and 0.0.0.0 in production. */
  host: string;
  publicUrl: string | undefined;
  logLevel: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL schema (default `public`); also names the realtime NOTIFY channel. */
  databaseSchema: string | undefined;
  knowledgeDir: string;
  knowledgeIndex: string;
  secret: string | undefined;
  adminApiToken: string | undefined;
  widgetKeys: string[];
  allowedOrigins: string[] | undefined;
  thresholds: { answer: number; clarify: number; clarifyMargin: number };
  slaFirstResponseMinutes: number;
  businessHours: BusinessHours;
  messageMaxBytes: number;
  rateLimits: { visitorPerMinute: number; ipPerMinute: number };
  /** Delivery worker: how long a claimed row is held, and how often due rows are looked for. */
  outbox: { leaseMs: number; pollMs: number };
  ces: { scale: 'seven-point' | 'three-choice' };
  /** Ask a satisfaction question (1–5) after the CES answer. */
  csat: { enabled: boolean };
  /** Metrics (issue 17): idle close after `idleResolveMs`; the leased job's poll and lease; survey defaults. */
  metrics: { idleResolveMs: number; jobPollMs: number; jobLeaseMs: number; jobBatch: number };
  surveys: { nps: boolean; customerIntervalDays: number };
  slack: {
    botToken?: string;
    signingSecret?: string;
    apiUrl?: string;
    supportChannels: string[];
    agentsChannel?: string;
    /** Socket Mode: events over a WebSocket Slack opens for us (no public URL), with an app token. */
    socketMode: boolean;
    appToken?: string;
  };
  teams: { enabled?: boolean; appId?: string; appPassword?: string; tenantId?: string };
  /** Public API (/api/v1): requests per key and minute. */
  api: { ratePerMinute: number };
  /** Webhook delivery: SSRF exception for tests/intranets, timeout, retry schedule, auto-disable, SLA sweep. */
  webhooks: { allowPrivate: boolean; timeoutMs: number; retryBaseMs: number; retryMaxMs: number; retryWindowMs: number; disableAfterMs: number; slaWatchMs: number };
  email: EmailConfig;
  /**
   * The team's name wherever no one set another (the widget header until Settings names it):
   * TEAM_NAME, else the display name of EMAIL_FROM, else empty (the widget's translated "Support").
   */
  teamName: string;
  /** The help centre's language when the browser asks for none of en/fr/de/es. */
  defaultLocale: 'en' | 'fr' | 'de' | 'es';
}

/** Email (issue 13). `enabled` follows SMTP_URL: without a way to send, nothing promises an email reply. */
export interface EmailConfig {
  enabled: boolean;
  smtpUrl?: string;
  /** `"Tidyflow Support" <support@example.com>` */
  from: string;
  /** The bare support address (from EMAIL_FROM): mail to it opens conversations. */
  address: string;
  /** `reply+<token>@replyDomain` */
  replyDomain: string;
  inboundPort?: number;
  inboundHost: string;
  imapUrl?: string;
  imapPollMs: number;
  /** Replies written within this window after the first go out as one email. */
  batchMs: number;
  maxBytes: number;
  attachmentMaxBytes: number;
  maxRecipients: number;
  /** Lifetime of reply tokens and "Continue in chat" links. */
  linkTtlMs: number;
}

export interface BusinessHours {
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

/** Whether an address only this machine can reach (the Teams development endpoint needs one). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function parseBusinessHours(spec: string, timeZone: string): BusinessHours {
  const m = BUSINESS_HOURS.exec(spec)!;
  const from = DAYS.indexOf(m[1]!);
  const to = DAYS.indexOf(m[2]!);
  const days: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === to) break;
  }
  return {
    days,
    startMinute: Number(m[3]) * 60 + Number(m[4]),
    endMinute: Number(m[5]) * 60 + Number(m[6]),
    timeZone,
  };
}

/** Read `.env` (if present) into process.env without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (a blank line in .env should not fail validation).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.BUSINESS_TIMEZONE });
  } catch {
    throw new ConfigError([`BUSINESS_TIMEZONE: unknown time zone "${e.BUSINESS_TIMEZONE}"`]);
  }
  const issues: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.SECRET) issues.push('SECRET: required in production (32+ random characters; signs visitor tokens and sessions)');
    if (!e.PUBLIC_URL) issues.push('PUBLIC_URL: required in production (the https:// address customers reach)');
  }
  if (e.MATCH_CLARIFY_THRESHOLD > e.MATCH_ANSWER_THRESHOLD) {
    issues.push('MATCH_CLARIFY_THRESHOLD: must not be above MATCH_ANSWER_THRESHOLD');
  }
  const email = emailConfig(e, issues);
  if (issues.length) throw new ConfigError(issues);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    knowledgeDir: e.KNOWLEDGE_DIR,
    knowledgeIndex: e.KNOWLEDGE_INDEX,
    secret: e.SECRET,
    adminApiToken: e.ADMIN_API_TOKEN,
    widgetKeys: e.WIDGET_KEYS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    thresholds: { answer: e.MATCH_ANSWER_THRESHOLD, clarify: e.MATCH_CLARIFY_THRESHOLD, clarifyMargin: e.MATCH_CLARIFY_MARGIN },
    slaFirstResponseMinutes: e.SLA_FIRST_RESPONSE_MINUTES,
    businessHours: parseBusinessHours(e.BUSINESS_HOURS, e.BUSINESS_TIMEZONE),
    messageMaxBytes: e.MESSAGE_MAX_BYTES,
    rateLimits: { visitorPerMinute: e.RATE_LIMIT_VISITOR_PER_MINUTE, ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE },
    outbox: { leaseMs: e.OUTBOX_LEASE_SECONDS * 1000, pollMs: e.OUTBOX_POLL_MS },
    ces: { scale: e.CES_SCALE },
    csat: { enabled: e.CSAT_ENABLED },
    metrics: { idleResolveMs: Math.round(e.BOT_IDLE_RESOLVE_MINUTES * 60_000), jobPollMs: e.METRICS_JOB_POLL_MS, jobLeaseMs: e.METRICS_JOB_LEASE_SECONDS * 1000, jobBatch: e.METRICS_JOB_BATCH },
    surveys: { nps: e.NPS_ENABLED, customerIntervalDays: e.SURVEY_CUSTOMER_INTERVAL_DAYS },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      supportChannels: e.SLACK_SUPPORT_CHANNELS,
      agentsChannel: e.SLACK_AGENTS_CHANNEL,
      socketMode: e.SLACK_SOCKET_MODE,
      appToken: e.SLACK_APP_TOKEN,
    },
    teams: { enabled: e.TEAMS_ENABLED, appId: e.MICROSOFT_APP_ID, appPassword: e.MICROSOFT_APP_PASSWORD, tenantId: e.MICROSOFT_APP_TENANT_ID },
    api: { ratePerMinute: e.API_RATE_LIMIT_PER_MINUTE },
    webhooks: {
      allowPrivate: e.WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
      retryWindowMs: e.WEBHOOK_RETRY_HOURS * 3_600_000,
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
      slaWatchMs: e.SLA_WATCH_MS,
    },
    email,
    teamName: e.TEAM_NAME || (e.EMAIL_FROM ? displayName(e.EMAIL_FROM) : ''),
    defaultLocale: e.DEFAULT_LOCALE,
  };
}

/** "Tidyflow Support" from `"Tidyflow Support" <support@example.com>`; empty for a bare address. */
function displayName(from: string): string {
  return /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1]?.trim() ?? '';
}

/** The address inside `"Name" <addr>` (or the bare address). */
export function bareAddress(from: string): string | undefined {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from) ?? /^\s*([^<>\s"]+@[^<>\s"]+)\s*$/.exec(from);
  return m?.[1]?.toLowerCase();
}

function emailConfig(e: z.infer<typeof schema>, issues: string[]): EmailConfig {
  const from = e.EMAIL_FROM ?? (e.EMAIL_REPLY_DOMAIN ? `support@${e.EMAIL_REPLY_DOMAIN}` : 'support@localhost');
  const address = bareAddress(from);
  if (!address) issues.push('EMAIL_FROM: looks like "Tidyflow Support" <support@example.com>');
  const receiving = e.INBOUND_SMTP_PORT !== undefined || !!e.IMAP_URL;
  if (receiving && !e.SMTP_URL) issues.push('INBOUND_SMTP_PORT / IMAP_URL: receiving email needs SMTP_URL too (answers leave by email)');
  return {
    enabled: !!e.SMTP_URL,
    ...(e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : {}),
    from,
    address: address ?? 'support@localhost',
    replyDomain: (e.EMAIL_REPLY_DOMAIN ?? address?.split('@')[1] ?? 'localhost').toLowerCase(),
    ...(e.INBOUND_SMTP_PORT !== undefined ? { inboundPort: e.INBOUND_SMTP_PORT } : {}),
    inboundHost: e.INBOUND_SMTP_HOST,
    ...(e.IMAP_URL ? { imapUrl: e.IMAP_URL } : {}),
    imapPollMs: Math.round(e.IMAP_POLL_SECONDS * 1000),
    batchMs: Math.round(e.EMAIL_BATCH_SECONDS * 1000),
    maxBytes: e.EMAIL_MAX_BYTES,
    attachmentMaxBytes: e.EMAIL_ATTACHMENT_MAX_BYTES,
    maxRecipients: e.EMAIL_MAX_RECIPIENTS,
    linkTtlMs: Math.round(e.EMAIL_LINK_DAYS * 86_400_000),
  };
}
