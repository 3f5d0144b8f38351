/** An agent's browser session against the console API: cookie jar + CSRF header. */
export class AgentClient {
  private cookie = '';
  csrf = '';
  agentId = '';

  constructor(private readonly baseUrl: string) {}

  async request(path: string, init: RequestInit & { json?: unknown; skipCsrf?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && !init.skipCsrf) headers['x-csrf-token'] = this.csrf;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return res;
  }

  async login(email: string, password: string): Promise<Response> {
    const res = await this.request('/api/auth/login', { method: 'POST', json: { email, password } });
    if (res.ok) {
      const body = (await res.clone().json()) as { csrfToken: string; agent: { id: string } };
      this.csrf = body.csrfToken;
      this.agentId = body.agent.id;
    }
    return res;
  }

  async json<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const res = await this.request(path, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
