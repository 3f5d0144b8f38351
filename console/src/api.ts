/**
 * fetch wrapper for the console API: JSON in and out, the session cookie goes along by itself,
 * and every state-changing request carries the CSRF token in `x-csrf-token`.
 * Failures become `ApiError` with the server's `{error:{code,message}}`.
 */
import type {
  AgentInfo,
  Branding,
  HelpArticle,
  PastConversation,
  CannedResponse,
  ChatMessage,
  Metrics,
  Presence,
  QueueTicket,
  Role,
  Session,
  Ticket,
  TicketDetail,
  TicketPriority,
  TicketQuery,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** For views with their own fetch (the Knowledge editor reads 409 bodies). */
export const csrfHeader = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (session expired): the app goes back to the sign-in form. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    const error = new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `Request failed (${res.status} ${res.statusText})`);
    if (res.status === 401 && !options.quiet401) onUnauthorized?.();
    throw error;
  }
  return data as T;
}

const enc = encodeURIComponent;

export function ticketListPath(q: TicketQuery): string {
  const p = new URLSearchParams();
  if (q.status) p.set('status', q.status);
  if (q.channel) p.set('channel', q.channel);
  if (q.assignee) p.set('assignee', q.assignee);
  if (q.priority) p.set('priority', q.priority);
  const qs = p.toString();
  return `/api/tickets${qs ? `?${qs}` : ''}`;
}

export const api = {
  setupNeeded: () => request<{ needed: boolean }>('GET', '/api/auth/setup'),
  setup: (body: { code: string; email: string; name: string; password: string }) => request<Session>('POST', '/api/auth/setup', body, { quiet401: true }),
  login: (email: string, password: string) => request<Session>('POST', '/api/auth/login', { email, password }, { quiet401: true }),
  me: () => request<Session>('GET', '/api/auth/me', undefined, { quiet401: true }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  presence: (presence: Exclude<Presence, 'offline'>) => request<void>('POST', '/api/presence', { presence }),

  agents: () => request<{ agents: AgentInfo[] }>('GET', '/api/agents'),
  createAgent: (body: { email: string; name: string; password: string; role: Role }) => request<{ agent: AgentInfo }>('POST', '/api/agents', body),

  tickets: (q: TicketQuery) => request<{ tickets: QueueTicket[] }>('GET', ticketListPath(q)),
  ticket: (id: string) => request<TicketDetail>('GET', `/api/tickets/${enc(id)}`),
  claim: (id: string) => request<{ ticket: Ticket }>('POST', `/api/tickets/${enc(id)}/claim`),
  assign: (id: string, agentId: string) => request<{ ticket: Ticket }>('POST', `/api/tickets/${enc(id)}/assign`, { agentId }),
  reply: (id: string, text: string, clientId?: string) => request<{ message: ChatMessage }>('POST', `/api/tickets/${enc(id)}/reply`, { text, ...(clientId ? { clientId } : {}) }),
  note: (id: string, text: string) => request<{ message: ChatMessage }>('POST', `/api/tickets/${enc(id)}/notes`, { text }),
  resolve: (id: string) => request<{ ticket: Ticket }>('POST', `/api/tickets/${enc(id)}/resolve`),
  reopen: (id: string) => request<{ ticket: Ticket }>('POST', `/api/tickets/${enc(id)}/reopen`),
  patchTicket: (id: string, patch: { priority?: TicketPriority; tags?: string[] }) => request<{ ticket: Ticket }>('PATCH', `/api/tickets/${enc(id)}`, patch),

  canned: () => request<{ responses: CannedResponse[] }>('GET', '/api/canned'),
  createCanned: (title: string, body: string) => request<{ response: CannedResponse }>('POST', '/api/canned', { title, body }),
  deleteCanned: (id: string) => request<void>('DELETE', `/api/canned/${enc(id)}`),
  updateCanned: (id: string, title: string, body: string) => request<{ response: CannedResponse }>('PUT', `/api/canned/${enc(id)}`, { title, body }),

  searchTickets: (q: string) => request<{ tickets: QueueTicket[] }>('GET', `/api/search/tickets?q=${enc(q)}`),
  helpArticles: (q: string) => request<{ articles: HelpArticle[] }>('GET', `/api/help-articles?q=${enc(q)}`),
  sendArticle: (ticketId: string, articleId: string) => request<{ message: ChatMessage }>('POST', `/api/tickets/${enc(ticketId)}/article`, { articleId, clientId: newClientId() }),
  typing: (ticketId: string) => request<void>('POST', `/api/tickets/${enc(ticketId)}/typing`),
  customerConversations: (customerId: string) => request<{ conversations: PastConversation[] }>('GET', `/api/customers/${enc(customerId)}/conversations`),
  branding: () => request<{ branding: Branding }>('GET', '/api/settings/branding'),
  saveBranding: (branding: Branding) => request<{ branding: Branding }>('PUT', '/api/settings/branding', branding),

  metrics: (query: string) => request<Metrics>('GET', `/api/metrics?${query}`),
};

/** Upload a file to a ticket (raw body; the server reads its type from the content). */
export async function uploadToTicket(ticketId: string, file: File): Promise<ChatMessage> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/octet-stream' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/tickets/${enc(ticketId)}/attachments?name=${enc(file.name.slice(0, 200))}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  const data = (await res.json().catch(() => null)) as { message?: ChatMessage; error?: { code?: string; message?: string } } | null;
  if (!res.ok || !data?.message) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? `Upload failed (${res.status})`);
  return data.message;
}

/** A client id for idempotent replies (the server echoes it on the stored message). */
export function newClientId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `c-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
