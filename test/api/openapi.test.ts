import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../server/webhooks/catalogue';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the OpenAPI document and the reference page', () => {
  it('serves an OpenAPI 3.1 document that a maintained validator accepts', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; webhooks: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const path of ['/customers/identify', '/conversations', '/tickets', '/tickets/{id}/claim', '/articles', '/categories', '/surveys', '/metrics', '/metrics/{table}.csv', '/webhooks']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });

  it('renders a readable reference at /api/docs with no third-party resources', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const methods of Object.values(doc.paths)) for (const o of Object.values(methods)) expect(html).toContain(`id="${o.operationId}"`);
    for (const type of EVENT_TYPES) expect(html).toContain(`id="event-${type}"`);
    // Offline-friendly: no scripts, styles or fonts from elsewhere.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    expect(html).not.toContain('<script');
  });
});
