import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ChatMessage } from '../../types';
import { DRAFT_KEY, type InboxItem, kb, type KbArticle } from '../knowledge/api';
import '../knowledge/knowledge.css';

const KIND_LABEL: Record<string, string> = {
  fallback: 'not understood',
  not_helpful: "didn't help",
  no_choice: 'no option picked',
  escalated_after_answer: 'asked for a person after an answer',
  agent_article: 'agent answered with an article',
  helpful: 'confirmed helpful',
};
const ACTION_LABEL: Record<string, string> = { add_phrasing: 'Added as a phrasing of', create_article: 'Article created:', out_of_scope: 'Marked out of scope', dismiss: 'Dismissed' };

type Tab = 'misses' | 'confirmed' | 'done';

/** "Improve the bot": what the bot missed in real conversations, grouped by wording, one click to fix. */
export function ImprovePage({ onOpenEditor }: { onOpenEditor(): void }) {
  const [tab, setTab] = useState<Tab>('misses');
  const [sort, setSort] = useState<'recent' | 'frequent'>('recent');
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [articles, setArticles] = useState<KbArticle[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = useCallback(() => {
    kb.inbox({ sort, status: tab === 'done' ? 'done' : 'open' })
      .then((r) => setItems(r.items.filter((i) => tab === 'done' || (tab === 'confirmed' ? i.confirmedOnly : !i.confirmedOnly))))
      .catch((e: Error) => setError(e.message));
  }, [sort, tab]);
  useEffect(load, [load]);
  useEffect(() => {
    kb.list({ state: 'published' }).then((r) => setArticles(r.articles.sort((a, b) => a.title.localeCompare(b.title)))).catch(() => undefined);
  }, []);

  const act = async (item: InboxItem, action: 'add_phrasing' | 'out_of_scope' | 'dismiss', articleId?: string) => {
    setError('');
    try {
      const r = await kb.act(item.key, action, articleId);
      setNotice(r === 'proposed' ? 'Sent to the editors as a proposal.' : action === 'add_phrasing' ? 'Added: the bot answers it within seconds.' : action === 'out_of_scope' ? 'Marked out of scope: the bot learns to say it does not know.' : 'Dismissed.');
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const createArticle = async (item: InboxItem) => {
    const draft = await kb.draft(item.key);
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    onOpenEditor();
  };

  return (
    <div class="improve-page">
      <section>
        <h1>Improve the bot</h1>
        <p class="muted">Questions the bot missed in real conversations (last 30 days), grouped by wording. Each fix is live on every instance within seconds.</p>
        <div class="improve-tabs" role="group" aria-label="Show">
          <button type="button" aria-pressed={tab === 'misses'} onClick={() => setTab('misses')} data-testid="improve-tab-misses">Misses</button>
          <button type="button" aria-pressed={tab === 'confirmed'} onClick={() => setTab('confirmed')}>Confirmed answers</button>
          <button type="button" aria-pressed={tab === 'done'} onClick={() => setTab('done')} data-testid="improve-tab-done">Done</button>
          <label class="muted">
            Sort{' '}
            <select value={sort} onChange={(e) => setSort(e.currentTarget.value as 'recent' | 'frequent')} data-testid="improve-sort">
              <option value="recent">Newest first</option>
              <option value="frequent">Most frequent first</option>
            </select>
          </label>
        </div>
        {notice && <p class="kb-notice" role="status" data-testid="improve-notice">{notice}</p>}
        {error && <p role="alert">{error}</p>}
        {items === null ? <p class="muted">Loading…</p> : items.length === 0 ? <p class="muted">Nothing here.</p> : items.map((item) => <Item key={item.key} item={item} articles={articles} onAct={act} onCreate={createArticle} />)}
      </section>
    </div>
  );
}

function Item({ item, articles, onAct, onCreate }: { item: InboxItem; articles: KbArticle[]; onAct(i: InboxItem, a: 'add_phrasing' | 'out_of_scope' | 'dismiss', articleId?: string): void; onCreate(i: InboxItem): void }) {
  const [target, setTarget] = useState(item.guess?.articleId ?? '');
  const [transcript, setTranscript] = useState<{ id: string; messages: ChatMessage[] } | null>(null);
  const show = async (id: string) => setTranscript(transcript?.id === id ? null : { id, messages: (await kb.conversation(id)).messages });
  return (
    <article class="improve-item" data-testid="improve-item" data-key={item.key}>
      <h2>“{item.text}”</h2>
      <p class="muted">
        {item.count} time{item.count === 1 ? '' : 's'} · last {new Date(item.lastAt).toLocaleString()}
        {item.wordings.length > 1 ? ` · also worded: ${item.wordings.slice(1, 4).map((w) => `“${w.text}”`).join(', ')}` : ''}
      </p>
      <div class="improve-kinds">
        {Object.entries(item.kinds).map(([k, n]) => (
          <span key={k} class="badge">{KIND_LABEL[k] ?? k} ×{n}</span>
        ))}
      </div>
      {item.action && (
        <p data-testid="improve-effect">
          {ACTION_LABEL[item.action.kind] ?? item.action.kind} {item.action.target ?? ''} · {new Date(item.action.at).toLocaleString()}
          {item.effect && <span class="improve-effect"> — asked {item.effect.asked} time{item.effect.asked === 1 ? '' : 's'} since; answered {item.effect.answered}</span>}
        </p>
      )}
      <details>
        <summary>Conversations ({item.conversations.length})</summary>
        <ul>
          {item.conversations.map((c) => (
            <li key={c.id + c.at}>
              <button type="button" class="ghost" onClick={() => void show(c.id)} data-testid="improve-conversation">
                {new Date(c.at).toLocaleString()} · {KIND_LABEL[c.kind] ?? c.kind} · “{c.text}”
              </button>
              {transcript?.id === c.id && (
                <div class="improve-transcript">
                  {transcript.messages.map((m) => (
                    <p key={m.id}><strong>{m.author}:</strong> {m.content.type === 'text' ? m.content.text : m.content.type === 'article' ? `[article] ${m.content.title}` : m.content.type === 'choices' ? `${m.content.text} [${m.content.choices.map((x) => x.label).join(' | ')}]` : `[${m.content.type}]`}</p>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      </details>
      {item.status === 'open' && (
        <div class="kb-actions">
          <select aria-label="Article" value={target} onChange={(e) => setTarget(e.currentTarget.value)} data-testid="improve-target">
            <option value="">Choose an article…</option>
            {articles.map((a) => (
              <option key={a.id} value={a.id}>{a.title}{item.guess?.articleId === a.id ? ' (best guess)' : ''}</option>
            ))}
          </select>
          <button type="button" class="primary" disabled={!target} onClick={() => onAct(item, 'add_phrasing', target)} data-testid="improve-add-phrasing">Add as a phrasing</button>
          <button type="button" onClick={() => onCreate(item)} data-testid="improve-create-article">Create an article</button>
          <button type="button" onClick={() => onAct(item, 'out_of_scope')} data-testid="improve-oos">Out of scope</button>
          <button type="button" class="ghost" onClick={() => onAct(item, 'dismiss')} data-testid="improve-dismiss">Dismiss</button>
        </div>
      )}
    </article>
  );
}
