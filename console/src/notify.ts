/**
 * New-ticket notices: a short beep (WebAudio, only once the page has had a user gesture, as
 * browsers require), a "(n) answerdesk" badge in the tab title, and a diff that finds which
 * tickets are new since the last fetch.
 */

export const BASE_TITLE = 'answerdesk';

export function titleWithBadge(count: number, base = BASE_TITLE): string {
  return count > 0 ? `(${count > 99 ? '99+' : count}) ${base}` : base;
}

/** Ids in `tickets` not in `known`. */
export function newTicketIds(known: ReadonlySet<string>, tickets: readonly { id: string }[]): string[] {
  return tickets.filter((t) => !known.has(t.id)).map((t) => t.id);
}

let audio: AudioContext | null = null;
let unlocked = false;

/** Call once at start-up: the first click or key press unlocks audio for later beeps. */
export function armSound(): void {
  if (typeof window === 'undefined') return;
  const unlock = () => {
    unlocked = true;
    try {
      const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (Ctor && !audio) audio = new Ctor();
      void audio?.resume();
    } catch {
      audio = null;
    }
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

export function beep(): void {
  if (!unlocked || !audio || audio.state !== 'running') return;
  try {
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(660, t + 0.09);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.12, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.24);
  } catch {
    // Sound is a nicety; never let it break the queue.
  }
}
