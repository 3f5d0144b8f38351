/** Tables added by migration 006 (metrics); see migration-006-metrics.ts for what each column means. */
export interface ConversationFactsTable {
  conversation_id: string;
  customer_id: string;
  person_key: string;
  channel: string;
  started_at: string;
  day: string;
  outcome: string;
  resolved: number;
  reopened: number;
  answered: number;
  article_id: string | null;
  intent: string | null;
  topic: string | null;
  agent_id: string | null;
  language: string;
  window_end: string;
  repeat_followup: number;
  switch_followup: number;
  ces: number | null;
  csat: number | null;
  nps: number | null;
  human_involved: number;
  ticket_id: string | null;
  first_response_due_at: string | null;
  first_response_at: string | null;
  first_response_ms: number | null;
  resolution_ms: number | null;
  last_event_id: number;
}

export interface JobsTable {
  name: string;
  lease_owner: string | null;
  lease_until: string;
  watermark: string | null;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}
