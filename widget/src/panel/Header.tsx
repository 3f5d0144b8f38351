import type { ChatState } from './chat';
import { presenceLine } from './labels';
import { initials, useUi } from './ui';

interface Props {
  state: ChatState;
  /** The email the visitor gave (here or earlier), if any. */
  email: string | undefined;
  onClose(): void;
  onHandoff(): void;
  handoffPending: boolean;
}

/** Team name, logo or online faces, the presence line, and "Talk to a person" until a person has it. */
export function Header({ state, email, onClose, onHandoff, handoffPending }: Props) {
  const { t, config, teamName } = useUi();
  const team = config?.team ?? [];
  const logo = config?.branding.logoUrl;
  const withHuman = state.conversation?.state === 'queued' || state.conversation?.state === 'assigned';
  const presence = config?.branding.showPresence === false && !email ? { text: '', online: false } : presenceLine(state.availability, email ?? state.conversation?.email, team, t, state.conversation?.state === 'assigned');
  return (
    <header class="head">
      {logo ? (
        <img class="logo" src={logo} alt="" />
      ) : (
        // Faces mean "here now": not beside "We're away" (agents online after business hours).
        team.length > 0 && presence.online && (
          <span class="faces" aria-hidden="true">
            {team.map((m) => (
              <span class="av" key={m.name}>
                {initials(m.name)}
              </span>
            ))}
          </span>
        )
      )}
      <div class="titles">
        <h2>{teamName}</h2>
        {presence.text && (
          <p class="avail">
            <span class={presence.online ? 'dot' : 'dot off'} aria-hidden="true" />
            {presence.text}
          </p>
        )}
      </div>
      <button type="button" class="icon" aria-label={t('close')} onClick={onClose}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />
        </svg>
      </button>
      {!withHuman && (
        <button type="button" class="human" onClick={onHandoff} disabled={handoffPending}>
          {t('talk')}
        </button>
      )}
    </header>
  );
}
