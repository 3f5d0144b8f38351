import { formatTime } from '../format';
import { attemptLabel, formatConfidence, reasonLabel } from '../messages';
import type { BotAttempt } from '../types';

/** Why the bot escalated and what it tried first, so the agent does not repeat it. */
export function BotAttempts({ attempts, reason }: { attempts: BotAttempt[]; reason: string }) {
  return (
    <details class="bot-attempts" open={attempts.length > 0 && attempts.length <= 6 && window.innerHeight >= 860} data-testid="bot-attempts">
      <summary>
        <strong>Why it escalated:</strong> <span data-testid="escalation-reason">{reason ? reasonLabel(reason) : 'Unknown'}</span>
        <span class="muted"> · the bot tried {attempts.length === 1 ? '1 thing' : `${attempts.length} things`}</span>
      </summary>
      {attempts.length === 0 ? (
        <p class="muted">The bot did not try anything before handing over.</p>
      ) : (
        <table class="compact">
          <caption class="sr-only">What the bot tried</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Customer said</th>
              <th scope="col">Bot action</th>
              <th scope="col">Offered</th>
              <th scope="col">Confidence</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a, i) => (
              <tr key={i}>
                <td>{formatTime(a.at)}</td>
                <td>{a.customerText ?? '—'}</td>
                <td>{attemptLabel(a)}</td>
                <td>{a.refs.length ? a.refs.join(', ') : '—'}</td>
                <td>{formatConfidence(a.confidence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
