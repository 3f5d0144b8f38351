import type { Action, Reply } from '../../../bot/types';
import { csatHint, csatOptions } from '../../../bot/wording';
import { ScoreButtons } from './ScoreButtons';

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
      <ScoreButtons
        question={survey.question}
        options={csatOptions(survey.scale)}
        chosen={given}
        disabled={answered || !live}
        onPick={(o) => onAction({ kind: 'csat', score: o.score }, o.label)}
      />
      <p class="hint">{csatHint(survey.scale)}</p>
    </div>
  );
}
