import { useState } from 'preact/hooks';
import { DEFINITIONS, type FigureKey } from '../../../../server/domain/resolution';

/**
 * "What does this number mean?": one click shows the definition the server computes by
 * (server/domain/resolution.ts — the same text, not a copy).
 */
export function useDefinition(figure: FigureKey, testId: string) {
  const [open, setOpen] = useState(false);
  const id = `def-${testId}`;
  const def = DEFINITIONS[figure];
  const button = (
    <button type="button" class="info" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)} data-testid={`${testId}-info`} title={`What is “${def.label}”?`}>
      <span aria-hidden="true">i</span>
      <span class="sr-only">What is “{def.label}”?</span>
    </button>
  );
  const text = open ? (
    <p class="definition" id={id} data-testid={`${testId}-definition`}>
      {def.text}
    </p>
  ) : null;
  return { button, text };
}

/** Definitions of several figures together (a chart that draws more than one): the button, and the text to place below the heading. */
export function useDefinitions(figures: FigureKey[], testId: string) {
  const [open, setOpen] = useState(false);
  const id = `def-${testId}`;
  const button = (
    <button type="button" class="info" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)} data-testid={`${testId}-info`}>
      <span aria-hidden="true">i</span>
      <span class="sr-only">What do these numbers mean?</span>
    </button>
  );
  const text = open ? (
    <dl class="definition" id={id} data-testid={`${testId}-definition`}>
      {figures.map((f) => (
        <div key={f}>
          <dt>{DEFINITIONS[f].label}</dt>
          <dd>{DEFINITIONS[f].text}</dd>
        </div>
      ))}
    </dl>
  ) : null;
  return { button, text };
}
