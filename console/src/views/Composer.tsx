import { useEffect, useRef, useState } from 'preact/hooks';
import { expandPlaceholders, insertAt } from '../placeholders';
import { api, uploadToTicket } from '../api';
import { ATTACHMENT_MAX_BYTES } from '../../../server/domain/attachments';
import type { AgentInfo, CannedResponse, ChatMessage, CustomerInfo, HelpArticle } from '../types';
import { ArticlePicker } from './ArticlePicker';
import { CannedPicker } from './CannedPicker';
import { ReplyReach } from './email/ReplyReach';

interface Props {
  ticketId: string;
  me: AgentInfo;
  customer: CustomerInfo | null;
  canned: CannedResponse[];
  /** Why replies are not possible right now (notes still are), or null. */
  replyBlocked: string | null;
  /** Resolves true once the server stored the message. */
  onSend(text: string, note: boolean): Promise<boolean>;
  /** Changes when the transcript does: the "how this reply reaches them" line is asked again. */
  version?: number;
  /** A file was sent (the message it became). */
  onUploaded(message: ChatMessage): void;
  onError(message: string): void;
  /** Send a help article as a card; resolves true once stored. */
  onArticle(article: HelpArticle): Promise<boolean>;
}

/** Tell the customer "… is typing" at most this often. */
const TYPING_EVERY_MS = 3000;

/** Unsent drafts survive switching between tickets. */
const drafts = new Map<string, string>();

/** Reply box: Enter sends, Shift+Enter adds a line; "Internal note" mode writes agent-only notes. */
export function Composer({ ticketId, me, customer, canned, replyBlocked, onSend, onArticle, onUploaded, onError, version }: Props) {
  const [uploading, setUploading] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const [text, setText] = useState(() => drafts.get(ticketId) ?? '');
  const [note, setNote] = useState(false);
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const blocked = !note && replyBlocked !== null;

  useEffect(() => {
    drafts.set(ticketId, text);
  }, [ticketId, text]);

  const send = async () => {
    const body = text.trim();
    if (!body || sending || blocked) return;
    setSending(true);
    const ok = await onSend(body, note);
    setSending(false);
    if (ok) {
      setText('');
      drafts.delete(ticketId);
    }
    input.current?.focus();
  };

  const insert = (response: CannedResponse) => {
    const expanded = expandPlaceholders(response.body, {
      customer: customer ? { name: customer.name, email: customer.email, attributes: customer.attributes } : null,
      agent: { name: me.name, email: me.email },
    });
    const el = input.current;
    const { value, caret } = insertAt(text, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length, expanded);
    setText(value);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };

  const label = note ? 'Internal note (only agents see this)' : 'Reply to the customer';
  return (
    <form
      class={`composer${note ? ' note-mode' : ''}`}
      data-testid="composer"
      data-mode={note ? 'note' : 'reply'}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div class="composer-bar">
        <div class="mode" role="group" aria-label="Message type">
          <button type="button" class={!note ? 'active' : ''} aria-pressed={!note} onClick={() => setNote(false)} data-testid="mode-reply">
            Reply
          </button>
          <button type="button" class={note ? 'active' : ''} aria-pressed={note} onClick={() => setNote(true)} data-testid="mode-note">
            Internal note
          </button>
        </div>
        <span class="row">
          <input
            ref={picker}
            type="file"
            hidden
            accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
            data-testid="attach-input"
            onChange={async (e) => {
              const el = e.currentTarget;
              const file = el.files?.[0];
              el.value = '';
              if (!file) return;
              if (file.size > ATTACHMENT_MAX_BYTES) return onError('Files can be up to 10 MB. Please send a smaller one.');
              setUploading(file.name);
              try {
                onUploaded(await uploadToTicket(ticketId, file));
              } catch (err) {
                onError(err instanceof Error ? err.message : 'The file was not sent.');
              } finally {
                setUploading(null);
              }
            }}
          />
          <button type="button" class="small" disabled={replyBlocked !== null || uploading !== null} onClick={() => picker.current?.click()} data-testid="attach">
            {uploading ? `Uploading ${uploading}…` : 'Attach file'}
          </button>
          <ArticlePicker disabled={replyBlocked !== null} onSend={onArticle} />
          <CannedPicker responses={canned} onPick={insert} />
        </span>
      </div>
      <label for={`composer-${ticketId}`} class="composer-label">
        {label}
      </label>
      <textarea
        id={`composer-${ticketId}`}
        ref={input}
        data-testid="reply-input"
        rows={3}
        placeholder={note ? 'Write a note for your team…' : 'Write a reply… (Enter to send, Shift+Enter for a new line)'}
        value={text}
        aria-describedby={blocked ? `composer-blocked-${ticketId}` : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          // The customer sees "… is typing" (replies only: notes are private).
          if (!note && !blocked && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
            lastTyping.current = Date.now();
            void api.typing(ticketId).catch(() => undefined);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div class="composer-foot">
        {blocked ? (
          <p class="muted small" id={`composer-blocked-${ticketId}`}>
            {replyBlocked}
          </p>
        ) : (
          note ? <p class="muted small">Notes are never sent to the customer.</p> : <ReplyReach ticketId={ticketId} version={version ?? 0} />
        )}
        <button type="submit" class={note ? 'note-send' : 'primary'} data-testid="reply-send" disabled={sending || blocked || !text.trim()}>
          {sending ? 'Sending…' : note ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
