import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chat } from './chat';
import { Composer } from './Composer';
import { EmailForm } from './EmailForm';
import { Header } from './Header';
import { errorText, isOffline, statusLine } from './labels';
import { MessageList } from './MessageList';
import { Suggestions } from './Suggestions';
import { visitorHasSpoken } from './transcript';
import { useUi } from './ui';
import { useChatState } from './useChat';

interface Props {
  chat: Chat;
  open: boolean;
  /** Bumped by the loader each time focus should move into the composer. */
  focusRequest: number;
  onClose(): void;
}

export function App({ chat, open, focusRequest, onClose }: Props) {
  const { t, teamName } = useUi();
  const state = useChatState(chat);
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (open && focusRequest > 0) input.current?.focus();
  }, [open, focusRequest]);

  if (!open) return null;

  const { transcript, conversation, availability } = state;
  const current = transcript.messages.filter((m) => m.conversationId === transcript.conversationId);
  const handoffPending = transcript.outbox.some((o) => o.frame.type === 'action' && o.frame.action.kind === 'handoff' && o.status !== 'failed');
  // Queued outside hours / with nobody online and no email yet: ask for one, unless the bot already did.
  const emailGiven = [
    ...current.map((m) => (m.author === 'customer' && m.content.type === 'action' ? m.content.action : undefined)),
    ...transcript.outbox.map((o) => (o.frame.type === 'action' && o.status !== 'failed' ? o.frame.action : undefined)),
  ].find((a) => a?.kind === 'email');
  const askEmail =
    conversation?.state === 'queued' &&
    !conversation.email &&
    availability?.emailReplies !== false &&
    isOffline(availability) &&
    !current.some((m) => m.content.type === 'email_request');
  const status = statusLine(conversation, state.link, availability, t);
  const email = conversation?.email ?? (emailGiven?.kind === 'email' ? emailGiven.email : undefined);

  return (
    <div
      class="panel"
      role="dialog"
      aria-label={teamName}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      onFocusOut={(e) => {
        // A button that disables itself or disappears once used (feedback, CES, "Talk to a person")
        // would drop focus to <body>: hand it to the composer instead.
        const from = e.target as HTMLButtonElement;
        setTimeout(() => {
          const root = from.getRootNode() as ShadowRoot | Document;
          const lost = !from.isConnected || from.disabled;
          const nowhere = !(root instanceof ShadowRoot) || root.activeElement === null;
          if (lost && nowhere && (document.activeElement === document.body || document.activeElement === null)) input.current?.focus();
        }, 0);
      }}
    >
      <Header
        state={state}
        email={email}
        onClose={onClose}
        handoffPending={handoffPending}
        onHandoff={() => chat.sendAction({ kind: 'handoff' }, t('talk'))}
      />
      <p class="status" role="status">
        {status}
      </p>
      <MessageList chat={chat} state={state} />
      <p class="typing" aria-live="polite">
        {state.typing ? t('typing', { name: state.typing.name ?? (state.typing.author === 'bot' ? teamName : t('agent')) }) : ''}
      </p>
      {askEmail && availability && (
        <div class="offline">
          <EmailForm
            text={availability.expectedReply}
            done={emailGiven?.kind === 'email' ? emailGiven.email : false}
            onSubmit={(email) => chat.sendAction({ kind: 'email', email }, email)}
          />
        </div>
      )}
      {state.error && (
        <div class="alert" role="alert">
          <span>{errorText(state.error.code, state.error.message, t)}</span>
          <button type="button" class="link" onClick={() => chat.dismissError()}>
            {t('dismiss')}
          </button>
        </div>
      )}
      {!visitorHasSpoken(transcript) && <Suggestions chat={chat} query={draft} />}
      <Composer
        value={draft}
        maxBytes={state.maxMessageBytes}
        uploading={state.uploading}
        {...(transcript.conversationId ? { onFile: (file: File) => void chat.upload(file, t('errTooBig')) } : {})}
        inputRef={input}
        onInput={(v) => {
          setDraft(v);
          chat.typing();
        }}
        onSend={(text) => {
          const ok = chat.sendText(text);
          if (ok) setDraft('');
          return ok;
        }}
      />
    </div>
  );
}
