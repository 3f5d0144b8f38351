import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../bot/thresholds';

/**
 * The environment variables the server reads, with their defaults and limits: validated once by
 * `loadConfig` (config.ts), which turns them into the typed `Config`.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const fraction = z.coerce.number().min(0).max(1);

/** "Mon-Fri 09:00-18:00": days and hours when agents normally answer, in BUSINESS_TIMEZONE. */
export const BUSINESS_HOURS = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)-(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: 127.0.0.1 outside production (a laptop's install is not on the network), 0.0.0.0 in production. */
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL').optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a lower-case PostgreSQL identifier').optional(),
  KNOWLEDGE_DIR: z.string().default('./knowledge/content'),
  KNOWLEDGE_INDEX: z.string().default('./dist/knowledge.json'),
  SECRET: z.string().min(32, 'SECRET must be at least 32 characters').optional(),
  ADMIN_API_TOKEN: z.string().min(24, 'ADMIN_API_TOKEN must be at least 24 characters').optional(),
  WIDGET_KEYS: list.default(['demo']),
  ALLOWED_ORIGINS: list.optional(),
  MATCH_ANSWER_THRESHOLD: fraction.default(DEFAULT_THRESHOLDS.answer),
  MATCH_CLARIFY_THRESHOLD: fraction.default(DEFAULT_THRESHOLDS.clarify),
  MATCH_CLARIFY_MARGIN: fraction.default(DEFAULT_THRESHOLDS.clarifyMargin),
  SLA_FIRST_RESPONSE_MINUTES: z.coerce.number().int().positive().default(60),
  BUSINESS_HOURS: z.string().regex(BUSINESS_HOURS, 'BUSINESS_HOURS looks like "Mon-Fri 09:00-18:00"').default('Mon-Fri 09:00-18:00'),
  BUSINESS_TIMEZONE: z.string().default('UTC'),
  MESSAGE_MAX_BYTES: z.coerce.number().int().min(256).max(65536).default(4096),
  RATE_LIMIT_VISITOR_PER_MINUTE: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(300),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  CES_SCALE: z.enum(['seven-point', 'three-choice']).default('seven-point'),
  CSAT_ENABLED: bool.default(false),
  // Metrics (issue 17): idle bot conversations are closed as resolved by the bot after this
  // long (fractions allowed, for tests); the leased metrics job's poll and lease; survey defaults.
  BOT_IDLE_RESOLVE_MINUTES: z.coerce.number().positive().max(10_080).default(30),
  METRICS_JOB_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  METRICS_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  METRICS_JOB_BATCH: z.coerce.number().int().min(1).max(10_000).default(100),
  NPS_ENABLED: bool.default(false),
  SURVEY_CUSTOMER_INTERVAL_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_SUPPORT_CHANNELS: list.default([]),
  SLACK_AGENTS_CHANNEL: z.string().optional(),
  SLACK_SOCKET_MODE: bool.default(false),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'SLACK_APP_TOKEN is an app-level token starting with xapp-').optional(),
  /** Unset: Teams follows the credentials (see server/channels/teams). true: required; false: off. */
  TEAMS_ENABLED: bool.optional(),
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  // Public API and webhooks (issue 19).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3 * 3_600_000),
  WEBHOOK_RETRY_HOURS: z.coerce.number().positive().max(720).default(24),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().max(720).default(24),
  SLA_WATCH_MS: z.coerce.number().int().min(50).default(60_000),
  // --- email (issue 13): sending, continuity and email as a channel ---
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL is smtp://user:pass@host:587 or smtps://…:465').optional(),
  EMAIL_FROM: z.string().max(300).optional(),
  EMAIL_REPLY_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$/i, 'EMAIL_REPLY_DOMAIN is a domain name such as reply.example.com').optional(),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().default('0.0.0.0'),
  IMAP_URL: z.string().regex(/^imaps?:\/\//, 'IMAP_URL is imaps://user:pass@host/INBOX').optional(),
  IMAP_POLL_SECONDS: z.coerce.number().min(0.2).max(3600).default(60),
  EMAIL_BATCH_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  EMAIL_MAX_BYTES: z.coerce.number().int().min(10_000).max(100_000_000).default(10_000_000),
  EMAIL_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(0).max(100_000_000).default(2_000_000),
  EMAIL_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(10_000).default(50),
  EMAIL_LINK_DAYS: z.coerce.number().min(0.0001).max(3650).default(30),
  // --- widget and help centre (issue 16) ---
  TEAM_NAME: z.string().trim().max(60).optional(),
  DEFAULT_LOCALE: z.enum(['en', 'fr', 'de', 'es']).default('en'),
});
