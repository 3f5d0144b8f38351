import { useEffect, useState } from 'preact/hooks';
import type { SuggestResponse } from '../../../server/channels/web/protocol';
import type { Chat } from './chat';
import { useUi } from './ui';

export const SUGGEST_DEBOUNCE_MS = 150;

/** Search-as-you-type: help articles that may answer the question before it is even sent. */
export function Suggestions({ chat, query }: { chat: Chat; query: string }) {
  const { t } = useUi();
  const [articles, setArticles] = useState<SuggestResponse['articles']>([]);
  const q = query.trim();

  useEffect(() => {
    if (q.length < 3) {
      setArticles([]);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      chat.suggest(q, abort.signal).then(
        (found) => !abort.signal.aborted && setArticles(found),
        () => undefined,
      );
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [chat, q]);

  const shown = q.length >= 3 ? articles : [];
  return (
    <>
      <p class="sr" role="status">
        {shown.length ? t('suggestedN', { n: shown.length }) : ''}
      </p>
      {shown.length > 0 && (
        <div class="suggest">
          <h3>{t('suggested')}</h3>
          <ul aria-label={t('suggested')}>
            {shown.map((a) => (
              <li key={a.id}>
                <a href={chat.resolveUrl(a.url)} target="_blank" rel="noopener noreferrer">
                  {a.title}
                  {a.summary && <span>{a.summary}</span>}
                  <span class="sr"> {t('newTab')}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
