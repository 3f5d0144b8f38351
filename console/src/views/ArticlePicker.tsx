import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { HelpArticle } from '../types';

/**
 * "Insert article": search the help centre and send an article as a card the customer sees in
 * their channel (a card in the widget, Slack and Teams; a link by email).
 */
export function ArticlePicker({ disabled, onSend }: { disabled: boolean; onSend(article: HelpArticle): Promise<boolean> }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [articles, setArticles] = useState<HelpArticle[] | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const onDown = (e: Event) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const t = setTimeout(() => {
      api.helpArticles(q).then(
        (r) => live && setArticles(r.articles),
        () => live && setArticles([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [open, q]);

  const close = () => {
    setOpen(false);
    setQ('');
  };

  return (
    <div
      class="canned"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button type="button" class="small" aria-expanded={open} aria-controls="article-popover" disabled={disabled} onClick={() => (open ? close() : setOpen(true))} data-testid="article-toggle">
        Insert article
      </button>
      {open && (
        <div class="popover" id="article-popover" role="dialog" aria-label="Insert a help article">
          <label for="article-search" class="sr-only">
            Search help articles
          </label>
          <input id="article-search" ref={search} type="search" placeholder="Search the help centre…" value={q} onInput={(e) => setQ(e.currentTarget.value)} data-testid="article-search" />
          {articles === null ? (
            <p class="muted small pad">Searching…</p>
          ) : articles.length === 0 ? (
            <p class="muted small pad">No article matches.</p>
          ) : (
            <ul class="canned-list">
              {articles.map((a) => (
                <li key={a.id}>
                  <button
                    type="button"
                    data-testid="article-item"
                    disabled={sending !== null}
                    onClick={async () => {
                      setSending(a.id);
                      const ok = await onSend(a);
                      setSending(null);
                      if (ok) close();
                    }}
                  >
                    <span class="canned-title" lang={a.locale}>
                      {a.title}
                      {sending === a.id ? ' — sending…' : ''}
                    </span>
                    <span class="canned-body" lang={a.locale}>
                      {a.summary}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
