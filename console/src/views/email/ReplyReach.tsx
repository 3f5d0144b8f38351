import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api';

/**
 * Above the reply box: what will happen to this reply — seen live, emailed to the customer who
 * left, or waiting until they come back. Asked again whenever the transcript changes (the
 * customer may have come or gone), so the sentence is about now.
 */
export function ReplyReach({ ticketId, version }: { ticketId: string; version: number }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      request<{ text: string }>('GET', `/api/tickets/${encodeURIComponent(ticketId)}/reach`, undefined, { quiet401: true })
        .then((r) => live && setText(r.text))
        .catch(() => live && setText(null));
    void load();
    // The customer may open or close the widget without writing: look again now and then.
    const timer = setInterval(() => void load(), 20_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [ticketId, version]);
  return (
    <p class="muted small" data-testid="reply-reach">
      {text ?? 'The customer sees this reply.'}
    </p>
  );
}
