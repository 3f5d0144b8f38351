import type { Generated } from 'kysely';
import type { ConversationFactsTable, JobsTable, SettingsTable } from './metrics-schema';
import type { ApiTables } from './api-schema';
import type { EmailsTable, EmailThreadsTable, InstancesTable, WidgetPresenceTable } from './email';
import type { KnowledgeTables } from './knowledge-tables';

/**
 * Table shapes shared by the SQLite and PostgreSQL backends. Times are ISO-8601 UTC strings
 * (sortable as text in both databases); structured values are JSON text, so one set of
 * queries serves both dialects.
 */
export interface Database extends ApiTables, KnowledgeTables {
  customers: CustomersTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  tickets: TicketsTable;
  events: EventsTable;
  surveys: SurveysTable;
  article_feedback: ArticleFeedbackTable;
  agents: AgentsTable;
  sessions: SessionsTable;
  canned_responses: CannedResponsesTable;
  processed_events: ProcessedEventsTable;
  rate_limits: RateLimitsTable;
  conversation_links: ConversationLinksTable;
  outbox: OutboxTable;
  conversation_facts: ConversationFactsTable;
  jobs: JobsTable;
  settings: SettingsTable;
  /** Email (004). */
  emails: EmailsTable;
  email_threads: EmailThreadsTable;
  widget_presence: WidgetPresenceTable;
  instances: InstancesTable;
}

export interface CustomersTable {
  id: string;
  channel: string;
  /** Platform user id (Slack/Teams); null for anonymous widget visitors. */
  external_id: string | null;
  name: string | null;
  email: string | null;
  attributes: string;
  page_url: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface ConversationsTable {
  id: string;
  customer_id: string;
  channel: string;
  /** Added by 003: the platform thread (with customer_id and generation: unique). */
  thread_key: string;
  /** 1 for the thread's first conversation, +1 each time a resolved thread starts afresh. */
  generation: number;
  state: string;
  bot_state: string;
  last_seq: number;
  assignee_id: string | null;
  /** Where replies go back to: Slack thread, Teams ConversationReference (JSON). */
  channel_ref: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  author: string;
  author_id: string | null;
  author_name: string | null;
  content: string;
  client_id: string | null;
  created_at: string;
}

export interface TicketsTable {
  id: string;
  conversation_id: string;
  customer_id: string;
  channel: string;
  status: string;
  priority: string;
  assignee_id: string | null;
  subject: string;
  reason: string;
  tags: string;
  attempts: string;
  first_response_due_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  conversation_id: string | null;
  ticket_id: string | null;
  channel: string | null;
  agent_id: string | null;
  data: string;
  created_at: string;
}

export interface SurveysTable {
  id: string;
  conversation_id: string;
  channel: string;
  kind: string;
  score: number;
  comment: string | null;
  article_id: string | null;
  intent: string | null;
  agent_id: string | null;
  human_involved: number;
  /** Added by 002_survey_csat. */
  csat: number | null;
  created_at: string;
}

export interface ArticleFeedbackTable {
  id: Generated<number>;
  article_id: string;
  helpful: number;
  source: string;
  conversation_id: string | null;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  presence: string;
  last_seen_at: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  agent_id: string;
  csrf_token: string;
  expires_at: string;
  created_at: string;
}

export interface CannedResponsesTable {
  id: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: string;
}

export interface ProcessedEventsTable {
  key: string;
  created_at: string;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

/** A platform object that points at a conversation (a Slack notice in the agents' channel …). */
export interface ConversationLinksTable {
  key: string;
  conversation_id: string;
  ticket_id: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  conversation_id: string | null;
  message_id: string | null;
  payload: string;
  /** pending → sent | failed. */
  state: string;
  attempts: number;
  next_attempt_at: string;
  /** Which worker holds it, and until when; an expired lease is anyone's. */
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
}
