import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * JSON bodies for routers whose routes (some or all) need a signed-in agent. A body that does
 * not parse (malformed, too large, wrong charset) is held back instead of answered at once:
 * authentication comes first, so an anonymous caller gets 401 whatever it sent. `requireAgent`
 * raises the held error once the caller is known; public routes in the same router read their
 * body with `bodyOf`, which raises it too.
 */
export function jsonBodyAfterAuth(options: { limit: string }) {
  const parse = express.json(options);
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, (err?: unknown) => {
      if (err) res.locals.bodyError = err;
      next();
    });
  };
}

/** The parsed body, or the parse error `jsonBodyAfterAuth` held back. */
export function bodyOf(req: Request, res: Response): unknown {
  if (res.locals.bodyError) throw res.locals.bodyError;
  return req.body as unknown;
}
