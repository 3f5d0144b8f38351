import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ArticleContent, DRAFT_KEY, type Draft, kb, type KbArticle } from './api';
import { ArticleEditor } from './Editor';
import './knowledge.css';

const STATE_LABEL = { draft: 'Draft', published: 'Published', archived: 'Archived' } as const;

const EMPTY: ArticleContent = { title: '', category: 'general', tags: [], locale: 'en', summary: '', body: '', phrasings: [] };

/** The Knowledge section: the articles (search, state and category filters) and the editor. */
export function KnowledgePage() {
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const [category, setCategory] = useState('');
  const [articles, setArticles] = useState<KbArticle[] | null>(null);
  const [categories, setCategories] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState('');
  const [canPublish, setCanPublish] = useState(false);
  const [flash, setFlash] = useState('');
  const [open, setOpen] = useState<string | null>(() => new URLSearchParams(location.search).get('article'));
  const [draft, setDraft] = useState<Draft | null>(() => {
    const saved = sessionStorage.getItem(DRAFT_KEY);
    if (!saved || new URLSearchParams(location.search).get('new') !== 'inbox') return null;
    sessionStorage.removeItem(DRAFT_KEY);
    return JSON.parse(saved) as Draft;
  });

  const load = useCallback(() => {
    kb.list({ q, state, category })
      .then((r) => setArticles(r.articles))
      .catch((e: Error) => setError(e.message));
  }, [q, state, category]);
  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load]);
  useEffect(() => {
    kb.categories().then((r) => setCategories(r.categories)).catch(() => undefined);
    kb.status().then((s) => setCanPublish(s.canPublish)).catch(() => undefined);
  }, []);

  const show = (id: string | null, keepFlash = false) => {
    if (!keepFlash) setFlash('');
    setOpen(id);
    setDraft(null);
    history.replaceState(null, '', id ? `?article=${encodeURIComponent(id)}` : location.pathname);
  };

  return (
    <div class="kb-page">
      <section class="panel kb-list" aria-labelledby="kb-heading">
        <div class="kb-list-head">
          <h1 id="kb-heading">Knowledge</h1>
          <button type="button" class="primary" data-testid="kb-new" onClick={() => { setOpen(null); setDraft({ slug: '', content: EMPTY, inboxKey: '' }); }}>
            New article
          </button>
        </div>
        <div class="kb-filters">
          <input type="search" placeholder="Search titles, tags, phrasings…" aria-label="Search articles" value={q} onInput={(e) => setQ(e.currentTarget.value)} data-testid="kb-search" />
          <select aria-label="State" value={state} onChange={(e) => setState(e.currentTarget.value)} data-testid="kb-filter-state">
            <option value="">All states</option>
            <option value="published">Published</option>
            <option value="draft">Drafts</option>
            <option value="archived">Archived</option>
          </select>
          <select aria-label="Category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
        {error && <p role="alert">{error}</p>}
        {articles === null ? (
          <p class="muted">Loading…</p>
        ) : articles.length === 0 ? (
          <p class="muted">No article matches.</p>
        ) : (
          <ul class="kb-articles" data-testid="kb-articles">
            {articles.map((a) => (
              <li key={a.id}>
                <button type="button" class={`kb-row${open === a.id ? ' selected' : ''}`} onClick={() => show(a.id)} data-testid="kb-row" data-article={a.id}>
                  <span class="kb-row-title">{a.title}</span>
                  <span class={`badge kb-state-${a.state}`}>{STATE_LABEL[a.state]}</span>
                  <span class="muted kb-row-meta">
                    {a.category} · {a.phrasings.length} phrasings · {a.locale}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel kb-editor-pane">
        {open || draft ? (
          <ArticleEditor
            key={open ?? `new-${draft?.inboxKey}`}
            articleId={open}
            draft={draft}
            canPublish={canPublish}
            categories={categories}
            flash={flash}
            onSaved={(a, message) => {
              setFlash(message);
              load();
              if (!open) show(a.id, true);
            }}
          />
        ) : (
          <p class="muted">Choose an article, or create one. Drafts are not shown to customers; publishing makes an article live on every instance within seconds.</p>
        )}
      </section>
    </div>
  );
}
