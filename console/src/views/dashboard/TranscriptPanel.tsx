import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../../api';
import { CHANNEL_LABEL, type ChatMessage } from '../../types';
import { Transcript } from '../Transcript';

interface ConversationTranscript {
  conversation: { id: string; channel: string; state: string; createdAt: string; resolvedAt: string | null };
  customer: { name: string | null; email: string | null; attributes: Record<string, unknown> } | null;
  ticketId: string | null;
  messages: ChatMessage[];
}

/** One conversation from a drill-down list, as the customer saw it; a ticket opens in the queue. */
export function TranscriptPanel({ conversationId, onClose }: { conversationId: string; onClose(): void }) {
  const [data, setData] = useState<ConversationTranscript | null>(null);
  const [error, setError] = useState('');
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    request<ConversationTranscript>('GET', `/api/metrics/conversations/${encodeURIComponent(conversationId)}`)
      .then((d) => live && setData(d))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : 'The transcript could not be loaded.'));
    return () => void (live = false);
  }, [conversationId]);
  useEffect(() => dialog.current?.focus(), []);

  const attributes = data?.customer ? Object.entries(data.customer.attributes) : [];
  return (
    <div class="transcript-overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="transcript-dialog" role="dialog" aria-modal="true" aria-labelledby="transcript-heading" tabIndex={-1} ref={dialog} onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="drill-transcript">
        <div class="panel-head">
          <h2 id="transcript-heading">Conversation</h2>
          <button type="button" class="small" onClick={onClose} data-testid="transcript-close">
            Close
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {data && (
          <>
            <p class="muted small">
              {CHANNEL_LABEL[data.conversation.channel as keyof typeof CHANNEL_LABEL] ?? data.conversation.channel} · {data.customer?.name ?? data.customer?.email ?? 'anonymous'}
              {attributes.length > 0 && ` · ${attributes.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`} · {data.conversation.state}
              {data.ticketId && (
                <>
                  {' · '}
                  <a href={`/console?ticket=${encodeURIComponent(data.ticketId)}`}>Open the ticket</a>
                </>
              )}
            </p>
            <Transcript messages={data.messages} />
          </>
        )}
      </div>
    </div>
  );
}
