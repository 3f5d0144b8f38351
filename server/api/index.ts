import { Router } from 'express';
import type { Agent } from '../store/types';
import { apiAuthentication } from './auth';
import { docsPage } from './docs-page';
import { openApiDocument } from './openapi';
import { mountOperations } from './registry';
import { type ApiDeps, v1Operations } from './v1';

const API_VERSION = '1.0.0';

/**
 * The public API: /api/v1 (API keys, scopes, per-key rate limits, Idempotency-Key), its
 * OpenAPI document at /api/v1/openapi.json and the reference at /api/docs.
 */
export function publicApi(deps: ApiDeps & { apiAgent: () => Agent; publicBase: string }): { v1: Router; docs: Router; document: Record<string, unknown> } {
  const operations = v1Operations(deps);
  const document = openApiDocument(operations, { serverUrl: deps.publicBase, version: API_VERSION });
  const v1 = Router();
  v1.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  v1.use(apiAuthentication({ store: deps.store, adminApiToken: deps.config.adminApiToken, ratePerMinute: deps.config.api.ratePerMinute }));
  v1.use(mountOperations(operations, { store: deps.store, apiAgent: deps.apiAgent }));
  const docs = Router();
  docs.get('/', (_req, res) => {
    res.type('html').send(docsPage(document, res.locals.nonce ?? ''));
  });
  return { v1, docs, document };
}
