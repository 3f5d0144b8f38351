import type { KnowledgeBundle } from '../../../bot/knowledge-bundle';
import type { Config } from '../../config';
import type { ConversationService } from '../../conversations';
import { invalid, notFound } from '../../domain/errors';
import type { Agent, Store } from '../../store/types';
import type { WebhookAdmin } from '../../webhooks/admin';
import type { KnowledgeService } from '../../kb/service';

/** What the /api/v1 operations work with. */
export interface ApiDeps {
  store: Store;
  service: ConversationService;
  bundle: () => KnowledgeBundle;
  config: Config;
  /** Public link of a help-centre article. */
  articleUrl(id: string): string;
  webhooks: WebhookAdmin;
  /** The knowledge base's editor (knowledge:write). */
  knowledge: KnowledgeService;
}

/** The agent an operation acts as: `agentId` when given, otherwise the API's own "Support team" agent. */
export async function actingAgent(store: Store, apiAgent: Agent, agentId: string | undefined): Promise<Agent> {
  if (!agentId) return apiAgent;
  const agent = await store.agents.get(agentId);
  if (!agent) throw notFound('agent', agentId);
  return agent;
}

/** A comma list in a query parameter, each value from `allowed`. */
export function commaList<T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T[] | undefined {
  if (!raw) return undefined;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const v of values) if (!(allowed as readonly string[]).includes(v)) throw invalid(`invalid_${name}`, `${name} must be among ${allowed.join(', ')}`);
  return values as T[];
}
