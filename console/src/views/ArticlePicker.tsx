import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { HelpArticle } from '../types';
import { PopoverResults, SearchPopover } from './SearchPopover';

type Send = (article: HelpArticle) => Promise<boolean>;

/**
 * "Insert article": search the help centre and send an article as a card the customer sees in
 * their channel (a card in the widget, Slack and Teams; a link by email).
 */
export function ArticlePicker({ disabled, onSend }: { disabled: boolean; onSend: Send }) {
  return (
    <SearchPopover
      id="article-popover"
      label="Insert article"
      dialogLabel="Insert a help article"
      inputLabel="Search help articles"
      placeholder="Search the help centre…"
      disabled={disabled}
      testId="article-toggle"
      inputTestId="article-search"
    >
      {(query, close) => <ArticleResults query={query} close={close} onSend={onSend} />}
    </SearchPopover>
  );
}

/** The articles for `query` (searched 150 ms after the last keystroke), each sent with one click. */
function ArticleResults({ query, close, onSend }: { query: string; close(): void; onSend: Send }) {
  const [articles, setArticles] = useState<HelpArticle[] | null>(null);
  const [sending, setSending] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      api.helpArticles(query).then(
        (r) => live && setArticles(r.articles),
        () => live && setArticles([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);

  if (articles === null) return <p class="muted small pad">Searching…</p>;
  return (
    <PopoverResults
      items={articles}
      empty="No article matches."
      testId="article-item"
      title={(a) => (sending === a.id ? `${a.title} — sending…` : a.title)}
      text={(a) => a.summary}
      lang={(a) => a.locale}
      disabled={sending !== null}
      onPick={async (a) => {
        setSending(a.id);
        const ok = await onSend(a);
        setSending(null);
        if (ok) close();
      }}
    />
  );
}
