import type { Action } from '../../../bot/types';
import type { Reply } from '../../../bot/types';

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
  const helpful = answer?.kind === 'feedback' ? answer.helpful : undefined;
  const send = (yes: boolean) =>
    onAction(
      { kind: 'feedback', helpful: yes, articleId: article.articleId, ...(article.intent ? { intent: article.intent } : {}) },
      yes ? 'Yes, this helped' : "No, this didn't help",
    );
  return (
    <div class="card">
      <h3>{article.title}</h3>
      {article.summary && <p>{article.summary}</p>}
      <a href={href} target="_blank" rel="noopener noreferrer">
        Read article<span class="sr">: {article.title} (opens in a new tab)</span>
      </a>
      {article.askFeedback && (
        <div class="ask" role="group" aria-label={`Did this help? ${article.title}`}>
          <p aria-hidden="true">Did this help?</p>
          <button type="button" class="btn" aria-pressed={helpful === true} disabled={answered || !live} onClick={() => send(true)}>
            Yes
          </button>
          <button type="button" class="btn" aria-pressed={helpful === false} disabled={answered || !live} onClick={() => send(false)}>
            No
          </button>
          {answered && <p>Thanks for your feedback.</p>}
        </div>
      )}
    </div>
  );
}
