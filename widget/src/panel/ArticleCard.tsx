import type { Action } from '../../../bot/types';
import type { Reply } from '../../../bot/types';
import { useUi } from './ui';

type Article = Extract<Reply, { type: 'article' }>;

interface Props {
  article: Article;
  href: string;
  /** The feedback the visitor gave (disables the buttons), if any. */
  answer: Action | undefined;
  answered: boolean;
  live: boolean;
  onAction(action: Action, label: string): void;
}

export function ArticleCard({ article, href, answer, answered, live, onAction }: Props) {
  const { t } = useUi();
  const helpful = answer?.kind === 'feedback' ? answer.helpful : undefined;
  const send = (yes: boolean) =>
    onAction(
      { kind: 'feedback', helpful: yes, articleId: article.articleId, ...(article.intent ? { intent: article.intent } : {}) },
      yes ? t('yesHelped') : t('noHelp'),
    );
  return (
    <div class="card">
      <h3>{article.title}</h3>
      {article.summary && <p>{article.summary}</p>}
      <a href={href} target="_blank" rel="noopener noreferrer">
        {t('read')}
        <span class="sr">
          : {article.title} {t('newTab')}
        </span>
      </a>
      {article.askFeedback && (
        <div class="ask" role="group" aria-label={`${t('didHelp')} ${article.title}`}>
          <p aria-hidden="true">{t('didHelp')}</p>
          <button type="button" class="btn" aria-pressed={helpful === true} disabled={answered || !live} onClick={() => send(true)}>
            {t('yes')}
          </button>
          <button type="button" class="btn" aria-pressed={helpful === false} disabled={answered || !live} onClick={() => send(false)}>
            {t('no')}
          </button>
        </div>
      )}
    </div>
  );
}
