import type { Generated } from 'kysely';

/** Tables of migration 005 (the knowledge base); part of `Database` in schema.ts. */
export interface KnowledgeTables {
  kb_categories: { id: string; name: string; position: number };
  kb_articles: {
    id: string;
    title: string;
    category: string;
    tags: string;
    locale: string;
    summary: string;
    body: string;
    state: string;
    version: number;
    position: number;
    source_path: string | null;
    created_at: string;
    updated_at: string;
    updated_by: string | null;
  };
  kb_intents: { name: string; article_id: string | null; response: string | null; position: number };
  kb_phrasings: { id: Generated<number>; intent: string; text: string; norm: string; position: number; source: string; created_at: string };
  kb_out_of_scope: { id: Generated<number>; text: string; norm: string; created_at: string };
  kb_revisions: {
    id: Generated<number>;
    article_id: string;
    version: number;
    action: string;
    agent_id: string | null;
    agent_name: string | null;
    snapshot: string;
    note: string | null;
    created_at: string;
  };
  kb_inbox_actions: { id: Generated<number>; group_key: string; texts: string; action: string; target: string | null; agent_id: string | null; created_at: string };
  kb_meta: { key: string; value: string };
}
