import { useState } from 'preact/hooks';
import { request } from '../../api';

interface Original {
  from: string;
  to: string[];
  recipients: number;
  subject: string;
  text: string;
  attachments: { filename: string; size: number; note: string }[];
  via: string;
  createdAt: string;
}

/**
 * "Show the original email" under a message that came by email: the transcript shows the
 * customer's own words (quotes and signatures stripped); this shows everything they sent, as
 * text — the HTML is never rendered in the console.
 */
export function OriginalEmail({ messageId }: { messageId: string }) {
  const [original, setOriginal] = useState<Original | null | 'error'>(null);
  const load = (open: boolean) => {
    if (!open || original) return;
    request<{ email: Original }>('GET', `/api/email/original/${encodeURIComponent(messageId)}`)
      .then((r) => setOriginal(r.email))
      .catch(() => setOriginal('error'));
  };
  return (
    <details class="original-email" onToggle={(e) => load((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Show the original email</summary>
      {original === 'error' && <p class="muted small">The original could not be loaded.</p>}
      {original && original !== 'error' && (
        <div data-testid="original-email">
          <p class="muted small">
            From {original.from} · to {original.to.join(', ')}
            {original.recipients > original.to.length ? ` and ${original.recipients - original.to.length} more` : ''} · subject “{original.subject}” · by {original.via.toUpperCase()}
          </p>
          <pre class="original-text">{original.text}</pre>
          {original.attachments.length > 0 && (
            <ul class="muted small">
              {original.attachments.map((a, i) => (
                <li key={i}>
                  {a.filename} ({a.size} bytes): {a.note}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
