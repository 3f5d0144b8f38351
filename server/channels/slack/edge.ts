import { parse as parseQueryString } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Slack signs a timestamp; requests further than this from our clock, either way, are refused. */
export const SLACK_CLOCK_WINDOW_S = 5 * 60;
/** Slack's payloads are a few kilobytes; a message with many blocks stays far below this. */
const BODY_LIMIT = '1mb';

type Payload = Record<string, unknown>;

/**
 * In front of bolt's receiver at POST /slack/events, in this order:
 * 1. the timestamp is within ±5 minutes (bolt refuses only stale ones, not ones from the future);
 * 2. the signature is right (before anything in the body is interpreted);
 * 3. the body is a JSON object, or a form whose `payload` is one (bolt crashes on a signed `null`);
 * 4. payloads no listener handles are acknowledged at once (bolt would hold them 3 s, then 404).
 * The raw body is handed on as `req.rawBody`, which bolt verifies and parses again.
 */
export function slackEdge(options: { signingSecret: string; handles(payload: Payload): boolean }) {
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  const refuse = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });

  return [
    (req: Request, res: Response, next: NextFunction) => {
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > SLACK_CLOCK_WINDOW_S) {
        return refuse(res, 401, 'bad_timestamp', 'the request timestamp is missing or more than 5 minutes from now');
      }
      next();
    },
    raw,
    (req: Request, res: Response, next: NextFunction) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const text = body.toString('utf8');
      const signature = req.headers['x-slack-signature'];
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      if (typeof signature !== 'string' || !isValidSlackRequest({ signingSecret: options.signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
        return refuse(res, 401, 'bad_signature', 'the request signature does not match');
      }
      const payload = parsePayload(text, req.headers['content-type']);
      if (!payload) return refuse(res, 400, 'malformed_payload', 'a Slack request body is a JSON object or a form');
      if (!options.handles(payload)) {
        res.status(200).end();
        return;
      }
      (req as Request & { rawBody?: Buffer }).rawBody = body;
      // bolt reads the body again from rawBody (and through the edge normalisation setter).
      (req as { body?: unknown }).body = undefined;
      next();
    },
  ];
}

/** The body as bolt will read it, or undefined when it is not an object. */
function parsePayload(text: string, contentType: string | undefined): Payload | undefined {
  try {
    let value: unknown;
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQueryString(text);
      value = typeof form.payload === 'string' ? JSON.parse(form.payload) : { ...form };
    } else {
      value = JSON.parse(text);
    }
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : undefined;
  } catch {
    return undefined;
  }
}
