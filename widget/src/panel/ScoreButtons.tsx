import type { ScoreOption } from '../../../bot/wording';

interface Props {
  question: string;
  options: ScoreOption[];
  chosen: number | null;
  disabled: boolean;
  onPick(option: ScoreOption): void;
}

/** A survey's score buttons: one labelled group, the chosen one pressed (CES and CSAT alike). */
export function ScoreButtons({ question, options, chosen, disabled, onPick }: Props) {
  return (
    <div class="row" role="group" aria-label={question}>
      {options.map((o) => (
        <button type="button" key={o.score} class="btn" aria-label={o.name} aria-pressed={chosen === o.score} disabled={disabled} onClick={() => onPick(o)}>
          {o.text}
        </button>
      ))}
    </div>
  );
}
