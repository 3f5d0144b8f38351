/** The Knowledge section's calls. Its own fetch: a 409 carries both versions (or the clashing phrasings). */
import { csrfHeader } from '../../api';
import type { ChatMessage } from '../../types';
import type { ArticleContent, ArticleState, KbArticle as ServerArticle, Revision as ServerRevision } from '../../../../server/kb/types';

// The wire shapes are the server's own types (type-only imports: nothing of the server is bundled).
export type { ArticleContent, ArticleState } from '../../../../server/kb/types';

/** An article as the knowledge API sends it. */
export type KbArticle = ArticleContent & Pick<ServerArticle, 'id' | 'state' | 'version' | 'updatedAt' | 'updatedBy'>;

/** A revision as the history route sends it. */
export type Revision = Pick<ServerRevision, 'id' | 'version' | 'action' | 'agentName' | 'snapshot' | 'note' | 'createdAt'>;

export interface Clash {
  text: string;
  articleId: string;
  title: string;
}

export type SaveResult =
  | { kind: 'saved'; article: KbArticle }
  | { kind: 'proposed' }
  | { kind: 'conflict'; current: KbArticle; yours: ArticleContent }
  | { kind: 'clash'; clashes: Clash[] }
  | { kind: 'error'; message: string };

export interface InboxItem {
  key: string;
  text: string;
  wordings: { text: string; count: number }[];
  count: number;
  lastAt: string;
  kinds: Record<string, number>;
  confirmedOnly: boolean;
  conversations: { id: string; at: string; kind: string; text: string }[];
  guess: { articleId: string; title: string; why: string } | null;
  status: 'open' | 'done';
  action: { kind: string; target: string | null; at: string } | null;
  effect: { asked: number; answered: number } | null;
}

export interface Draft {
  slug: string;
  content: ArticleContent;
  inboxKey: string;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T & { error?: { code: string; message: string } } }> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? csrfHeader() : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let data: unknown = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { error: { code: `http_${res.status}`, message: `Request failed (${res.status})` } };
  }
  return { status: res.status, data: data as T & { error?: { code: string; message: string } } };
}

async function get<T>(path: string): Promise<T> {
  const { status, data } = await call<T>('GET', path);
  if (status >= 400) throw new Error(data.error?.message ?? `Request failed (${status})`);
  return data;
}

function saveResult(status: number, data: { article?: KbArticle; current?: KbArticle; yours?: ArticleContent; clashes?: Clash[]; error?: { code: string; message: string } }): SaveResult {
  if (status === 200 || status === 201) return { kind: 'saved', article: data.article! };
  if (status === 202) return { kind: 'proposed' };
  if (status === 409 && data.error?.code === 'version_conflict') return { kind: 'conflict', current: data.current!, yours: data.yours! };
  if (status === 409 && data.error?.code === 'phrasing_taken') return { kind: 'clash', clashes: data.clashes! };
  return { kind: 'error', message: data.error?.message ?? `Request failed (${status})` };
}

const enc = encodeURIComponent;

export const kb = {
  status: () => get<{ version: number; articles: number; canPublish: boolean; lastBuildMs: number }>('/api/knowledge/status'),
  list: (q: { q?: string; state?: string; category?: string }) => {
    const p = new URLSearchParams(Object.entries(q).filter(([, v]) => v) as [string, string][]);
    return get<{ articles: KbArticle[] }>(`/api/knowledge/articles?${p.toString()}`);
  },
  categories: () => get<{ categories: { id: string; name: string }[] }>('/api/knowledge/categories'),
  get: (id: string) => get<{ article: KbArticle; revisions: Revision[]; url: string }>(`/api/knowledge/articles/${enc(id)}`),
  create: async (body: { slug?: string; content: ArticleContent; publish?: boolean; movePhrasings?: boolean; inboxKey?: string }) => {
    const r = await call<Record<string, never>>('POST', '/api/knowledge/articles', body);
    return saveResult(r.status, r.data);
  },
  save: async (id: string, body: { version: number; content: ArticleContent; movePhrasings?: boolean }) => {
    const r = await call<Record<string, never>>('PATCH', `/api/knowledge/articles/${enc(id)}`, body);
    return saveResult(r.status, r.data);
  },
  setState: async (id: string, version: number, state: ArticleState) => {
    const r = await call<Record<string, never>>('POST', `/api/knowledge/articles/${enc(id)}/state`, { version, state });
    return saveResult(r.status, r.data);
  },
  restore: async (id: string, version: number, revisionId: number) => {
    const r = await call<Record<string, never>>('POST', `/api/knowledge/articles/${enc(id)}/restore`, { version, revisionId });
    return saveResult(r.status, r.data);
  },
  clashes: async (texts: string[], articleId: string | null) => (await call<{ clashes: Clash[] }>('POST', '/api/knowledge/phrasings/check', { texts, articleId })).data.clashes ?? [],
  preview: async (markdown: string) => (await call<{ html: string }>('POST', '/api/knowledge/preview', { markdown })).data.html ?? '',
  inbox: (q: { sort: string; status?: string }) => get<{ items: InboxItem[] }>(`/api/knowledge/inbox?${new URLSearchParams(Object.entries(q).filter(([, v]) => v) as [string, string][]).toString()}`),
  draft: async (key: string) => (await call<Draft>('POST', '/api/knowledge/inbox/draft', { key })).data,
  act: async (key: string, action: 'add_phrasing' | 'out_of_scope' | 'dismiss', articleId?: string) => {
    const r = await call<{ proposal?: unknown }>('POST', '/api/knowledge/inbox/actions', { key, action, ...(articleId ? { articleId } : {}) });
    if (r.status >= 400) throw new Error(r.data.error?.message ?? `Request failed (${r.status})`);
    return r.status === 202 ? 'proposed' : 'done';
  },
  conversation: (id: string) => get<{ messages: ChatMessage[] }>(`/api/knowledge/conversations/${enc(id)}`),
};

/** Handing a prefilled draft from the inbox to the editor across a navigation. */
export const DRAFT_KEY = 'answerdesk.kb.draft';
