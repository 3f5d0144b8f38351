import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { ApiScope } from '../store/api-keys';
import type { Agent } from '../store/types';
import { type ApiCaller, requireScope } from './auth';
import { IDEMPOTENCY_HEADER, idempotent, type Outcome } from './idempotency';
import type { Store } from '../store/types';

type Method = 'get' | 'post' | 'patch' | 'delete';

export interface Context<Q, B> {
  params: Record<string, string>;
  query: Q;
  body: B;
  caller: ApiCaller;
  /** The agent the API acts as when no agentId is given ("Support team"). */
  apiAgent: Agent;
  req: Request;
}

/** A CSV answer (metrics exports) rather than JSON. */
export class CsvResult {
  constructor(
    readonly filename: string,
    readonly text: string,
  ) {}
}

/** One API operation: what the OpenAPI document says about it and what it does. */
export interface Operation<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** OpenAPI style: /tickets/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  scope: ApiScope;
  query?: Q;
  body?: B;
  /** Success status (200 by default). */
  status?: number;
  /** The success body; `'csv'` for text/csv; undefined for 204. */
  response?: z.ZodType | 'csv';
  handle(ctx: Context<z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** Declares an operation with its types inferred from its schemas. */
export function op<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(o: Operation<Q, B>): Operation {
  return o as unknown as Operation;
}

const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * Mounts operations: scope check, request validation (the same zod schemas the document is
 * made of), Idempotency-Key on every POST, then the handler, whose result is the body.
 */
export function mountOperations(operations: Operation[], deps: { store: Store; apiAgent: () => Agent }): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  for (const operation of operations) {
    router[operation.method](expressPath(operation.path), async (req: Request, res: Response) => {
      const caller = res.locals.apiCaller!;
      requireScope(caller, operation.scope);
      const query = operation.query ? operation.query.parse(req.query) : undefined;
      const body = operation.body ? operation.body.parse(req.body ?? {}) : undefined;
      const run = async (): Promise<Outcome> => {
        const result = await operation.handle({ params: req.params as Record<string, string>, query, body, caller, apiAgent: deps.apiAgent(), req });
        return { status: operation.status ?? (result === undefined ? 204 : 200), body: result };
      };
      const idemKey = req.headers[IDEMPOTENCY_HEADER];
      let outcome: Outcome;
      if (operation.method === 'post' && typeof idemKey === 'string') {
        const done = await idempotent(deps.store, caller.keyId, idemKey, `${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`, run);
        if (done.replayed) res.setHeader('Idempotent-Replayed', 'true');
        outcome = done;
      } else {
        outcome = await run();
      }
      if (outcome.body instanceof CsvResult) {
        res.setHeader('content-type', 'text/csv; charset=utf-8');
        res.setHeader('content-disposition', `attachment; filename="${outcome.body.filename}"`);
        res.status(outcome.status).send(outcome.body.text);
      } else if (outcome.status === 204 || outcome.body === undefined) {
        res.status(204).end();
      } else {
        res.status(outcome.status).json(outcome.body);
      }
    });
  }
  return router;
}
