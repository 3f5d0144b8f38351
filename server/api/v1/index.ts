import type { Operation } from '../registry';
import { conversationOperations } from './conversations';
import { customerOperations } from './customers';
import type { ApiDeps } from './deps';
import { knowledgeOperations } from './knowledge';
import { knowledgeWriteOperations } from './knowledge-write';
import { reportOperations } from './reports';
import { ticketOperations } from './tickets';
import { webhookOperations } from './webhooks';

export type { ApiDeps } from './deps';

/** Every /api/v1 operation, in the order the reference lists them. */
export function v1Operations(deps: ApiDeps): Operation[] {
  return [...customerOperations(deps), ...conversationOperations(deps), ...ticketOperations(deps), ...knowledgeOperations(deps), ...knowledgeWriteOperations(deps), ...reportOperations(deps), ...webhookOperations(deps)];
}
