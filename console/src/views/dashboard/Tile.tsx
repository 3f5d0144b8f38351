import { DEFINITIONS, type DrillFigure, type FigureKey } from '../../../../server/domain/resolution';
import { change, type ChangeKind } from './filters';
import { useDefinition } from './Info';

export interface TilePart {
  label: string;
  value: string;
  /** Clicking the part lists its conversations. */
  figure?: DrillFigure;
}

export interface TileProps {
  testId: string;
  definition: FigureKey;
  value: string;
  /** Clicking the number lists the conversations behind it. */
  figure?: DrillFigure;
  parts?: TilePart[];
  detail?: string;
  compare?: { current: number | null; previous: number | null; kind: ChangeKind; label: string; higherIsBetter?: boolean };
  onDrill(figure: DrillFigure): void;
}

/** A headline number: its definition one click away, its conversations one click away, its change against the period before. */
export function Tile({ testId, definition, value, figure, parts, detail, compare, onDrill }: TileProps) {
  const def = useDefinition(definition, testId);
  const delta = compare ? change(compare.current, compare.previous, compare.kind) : null;
  const good = delta && delta.direction !== 'flat' ? (delta.direction === 'up') === (compare?.higherIsBetter ?? true) : null;
  return (
    <div class="kpi" data-testid={testId}>
      <dt>
        <span>{labelOf(definition)}</span> {def.button}
      </dt>
      <dd>
        {figure ? (
          <button type="button" class="kpi-value drill" onClick={() => onDrill(figure)} data-testid={`${testId}-value`} title="List these conversations">
            {value}
          </button>
        ) : (
          <span class="kpi-value" data-testid={`${testId}-value`}>
            {value}
          </span>
        )}
        {compare && (
          <span class={`kpi-change${good === null ? '' : good ? ' good' : ' bad'}`} data-testid={`${testId}-change`}>
            {delta ? `${delta.text} ${compare.label}` : `no data for ${compare.label.replace(/^vs /, '')}`}
          </span>
        )}
        {parts && (
          <span class="kpi-detail kpi-parts">
            {parts.map((p, i) => (
              <span key={p.label}>
                {i > 0 && ' · '}
                {p.label}{' '}
                {p.figure ? (
                  <button type="button" class="link" onClick={() => onDrill(p.figure!)} data-testid={`${testId}-part-${p.figure}`}>
                    {p.value}
                  </button>
                ) : (
                  p.value
                )}
              </span>
            ))}
          </span>
        )}
        {detail && <span class="kpi-detail">{detail}</span>}
        {def.text}
      </dd>
    </div>
  );
}

const labelOf = (key: FigureKey) => DEFINITIONS[key].label;
