import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

type Json = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * An /api/v1 client that checks every response against the OpenAPI document the server serves:
 * the operation is found by method and path template, and the JSON body must validate (ajv,
 * draft 2020-12) against the schema documented for that status. `covered` lists what was checked.
 */
export class ContractClient {
  readonly covered = new Set<string>();
  private ajv: Ajv2020 | undefined;
  private doc: Json | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly defaultKey?: string,
  ) {}

  async document(): Promise<Json> {
    if (!this.doc) {
      const res = await fetch(`${this.baseUrl}/api/v1/openapi.json`);
      expect(res.status).toBe(200);
      this.doc = (await res.json()) as Json;
      this.ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(this.ajv);
    }
    return this.doc;
  }

  /** The documented operation for a request: [template, operation]. */
  private match(doc: Json, method: string, path: string): [string, Json] {
    for (const [template, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
      if (re.test(path) && ops[method]) return [template, ops[method]];
    }
    throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
  }

  /** `rawBody` is sent as it is (e.g. malformed JSON), `body` as JSON. */
  async request<T = any>(method: 'get' | 'post' | 'patch' | 'delete', path: string, options: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const doc = await this.document();
    const key = options.key === undefined ? this.defaultKey : options.key;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method: method.toUpperCase(),
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(options.body !== undefined || options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.headers ?? {}),
      },
      ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    const pathOnly = path.split('?')[0]!;
    const [template, operation] = this.match(doc, method, pathOnly);
    const documented = operation.responses[String(res.status)];
    expect(documented, `${method.toUpperCase()} ${pathOnly} answered ${res.status}, which is not documented: ${text.slice(0, 300)}`).toBeDefined();
    let body: any = text;
    const contentType = res.headers.get('content-type') ?? '';
    if (res.status !== 204) {
      const mediaType = contentType.split(';')[0]!.trim();
      expect(documented.content?.[mediaType], `${method.toUpperCase()} ${pathOnly} ${res.status}: undocumented content type ${mediaType}`).toBeDefined();
      if (mediaType === 'application/json') {
        body = JSON.parse(text);
        const id = `https://contract.test/${method}${template.replace(/[{}]/g, '_')}/${res.status}`;
        const validate = this.ajv!.getSchema(id) ?? (this.ajv!.addSchema(standalone(documented.content['application/json'].schema, doc), id), this.ajv!.getSchema(id)!);
        const ok = validate(body);
        expect(ok, `${method.toUpperCase()} ${pathOnly} ${res.status} does not match the document: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${text.slice(0, 500)}`).toBe(true);
      }
    }
    this.covered.add(`${operation.operationId} ${res.status}`);
    return { status: res.status, headers: res.headers, body: body as T, text };
  }

  /** Checks a webhook body against the document's `webhooks` entry for its type. */
  async checkEvent(body: Json): Promise<void> {
    const doc = await this.document();
    const entry = doc.webhooks?.[body.type];
    expect(entry, `event type ${body.type} is not in the document`).toBeDefined();
    const id = `https://contract.test/webhooks/${body.type}`;
    const validate = this.ajv!.getSchema(id) ?? (this.ajv!.addSchema(standalone(entry.post.requestBody.content['application/json'].schema, doc), id), this.ajv!.getSchema(id)!);
    expect(validate(body), `${body.type} event does not match the document: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    this.covered.add(`event ${body.type}`);
  }

  get = <T = any>(path: string, options?: { key?: string | null; headers?: Record<string, string> }) => this.request<T>('get', path, options);
  post = <T = any>(path: string, body?: unknown, options?: { key?: string | null; headers?: Record<string, string> }) => this.request<T>('post', path, { ...options, body: body ?? {} });
  patch = <T = any>(path: string, body: unknown, options?: { key?: string | null }) => this.request<T>('patch', path, { ...options, body });
  delete = <T = any>(path: string, options?: { key?: string | null }) => this.request<T>('delete', path, options);
}

/** A response schema with the document's components as its own $defs, so ajv resolves every $ref. */
function standalone(schema: Json, doc: Json): Json {
  const relinked = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json;
  return { ...relinked(schema), $defs: relinked(doc.components.schemas) };
}
