import type { Action, Reply } from '../../../bot/types';
import { csatHint, csatOptions } from '../../../bot/wording';

type Csat = Extract<Reply, { type: 'csat' }>;

interface Props {
  survey: Csat;
  answer: Action | undefined;
  answered: boolean;
  live: boolean;
  onAction(action: Action, label: string): void;
}

/** Customer satisfaction 1–5: one press sends `{kind:'csat', score}` (no comment: the CES form just had one). */
export function CsatSurvey({ survey, answer, answered, live, onAction }: Props) {
  const given = answer?.kind === 'csat' ? answer.score : null;
  return (
    <div class="widget">
      <p>{survey.question}</p>
      <div class="row" role="group" aria-label={survey.question}>
        {csatOptions(survey.scale).map((o) => (
          <button
            type="button"
            key={o.score}
            class="btn"
            aria-label={o.name}
            aria-pressed={given === o.score}
            disabled={answered || !live}
            onClick={() => onAction({ kind: 'csat', score: o.score }, o.label)}
          >
            {o.text}
          </button>
        ))}
      </div>
      <p class="hint">{csatHint(survey.scale)}</p>
    </div>
  );
}
