import { useState } from 'preact/hooks';
import type { Action, Reply } from '../../../bot/types';
import { CES_HINT, cesOptions } from '../../../bot/wording';
import { ScoreButtons } from './ScoreButtons';
import { useUi } from './ui';

type Ces = Extract<Reply, { type: 'ces' }>;

interface Props {
  survey: Ces;
  answer: Action | undefined;
  answered: boolean;
  live: boolean;
  onAction(action: Action, label: string): void;
}

/** Customer effort score: pick a score, optionally comment, send `{kind:'ces', score, comment}`. */
export function CesSurvey({ survey, answer, answered, live, onAction }: Props) {
  const { t } = useUi();
  const options = cesOptions(survey.scale);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const given = answer?.kind === 'ces' ? answer.score : null;
  const locked = answered || !live;
  const chosen = given ?? score;

  const submit = (e: Event) => {
    e.preventDefault();
    if (chosen === null || locked) return;
    const option = options.find((o) => o.score === chosen);
    const text = comment.trim().slice(0, 1000);
    onAction({ kind: 'ces', score: chosen, ...(text ? { comment: text } : {}) }, option?.label ?? String(chosen));
  };

  return (
    <form class="widget" onSubmit={submit}>
      <p>{survey.question}</p>
      <ScoreButtons question={survey.question} options={options} chosen={chosen} disabled={locked} onPick={(o) => setScore(o.score)} />
      {survey.scale !== 'three-choice' && <p class="hint">{CES_HINT}</p>}
      {!answered &&
        live && (
          <>
            <label>
              {t('comment')}
              <textarea class="field" rows={2} maxLength={1000} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
            </label>
            <div>
              <button type="submit" class="primary" disabled={chosen === null}>
                {t('sendFeedback')}
              </button>
            </div>
          </>
        )}
    </form>
  );
}
