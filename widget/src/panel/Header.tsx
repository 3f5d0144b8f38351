import type { ChatState } from './chat';
import { availabilityLine } from './labels';

interface Props {
  title: string;
  state: ChatState;
  onClose(): void;
  onHandoff(): void;
  handoffPending: boolean;
}

export function Header({ title, state, onClose, onHandoff, handoffPending }: Props) {
  const withHuman = state.conversation?.state === 'queued' || state.conversation?.state === 'assigned';
  return (
    <header class="head">
      <div class="titles">
        <h2>{title}</h2>
        <p class="avail">{availabilityLine(state.availability)}</p>
      </div>
      <button type="button" class="icon" aria-label="Close support chat" onClick={onClose}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />
        </svg>
      </button>
      <button type="button" class="human" onClick={onHandoff} disabled={withHuman || handoffPending}>
        Talk to a person
      </button>
    </header>
  );
}
