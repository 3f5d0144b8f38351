import type { Action, Reply } from '../../../bot/types';
import { npsHint, npsOptions } from '../../../bot/wording';
import { ScoreButtons } from './ScoreButtons';

type Nps = Extract<Reply, { type: 'nps' }>;

interface Props {
  survey: Nps;
  answer: Action | undefined;
  answered: boolean;
  live: boolean;
  onAction(action: Action, label: string): void;
}

/** Net Promoter question 0–10: one press sends `{kind:'nps', score}`. */
export function NpsSurvey({ survey, answer, answered, live, onAction }: Props) {
  const given = answer?.kind === 'nps' ? answer.score : null;
  return (
    <div class="widget">
      <p>{survey.question}</p>
      <ScoreButtons question={survey.question} options={npsOptions(survey.scale)} chosen={given} disabled={answered || !live} onPick={(o) => onAction({ kind: 'nps', score: o.score }, o.label)} />
      <p class="hint">{npsHint(survey.scale)}</p>
    </div>
  );
}
