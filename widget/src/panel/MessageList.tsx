import { useEffect, useRef } from 'preact/hooks';
import type { Action } from '../../../bot/types';
import type { ChatMessage } from '../../../server/channels/web/protocol';
import { answeredMessages, messageKey } from './answered';
import { ArticleCard } from './ArticleCard';
import { CesSurvey } from './CesSurvey';
import { CsatSurvey } from './CsatSurvey';
import { NpsSurvey } from './NpsSurvey';
import type { Chat, ChatState } from './chat';
import { EmailForm } from './EmailForm';
import { eventText } from '../../../bot/wording';
import { authorName, errorText } from './labels';
import type { Outgoing } from './transcript';

interface Props {
  chat: Chat;
  state: ChatState;
}

/** The conversation. Every piece of text is rendered as a text node — never as HTML. */
export function MessageList({ chat, state }: Props) {
  const { messages, outbox, conversationId } = state.transcript;
  const ref = useRef<HTMLDivElement>(null);
  const count = messages.length + outbox.length;
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count, state.open]);

  const answers = answeredMessages(messages, outbox, state.conversation);
  const act = (action: Action, label: string) => chat.sendAction(action, label);
  let previous: ChatMessage | undefined;

  return (
    <div class="log" role="log" aria-live="polite" aria-label="Conversation" tabIndex={0} ref={ref}>
      {count === 0 && <p class="empty">Hi! Ask us anything — we'll point you to the right answer.</p>}
      {messages.map((m) => {
        const showName = (m.author === 'bot' || m.author === 'agent') && !(previous && previous.author === m.author && previous.authorName === m.authorName);
        if (m.content.type !== 'note' && m.content.type !== 'event') previous = m;
        if (m.content.type === 'event') previous = undefined;
        const key = messageKey(m);
        return (
          <Message
            key={key}
            message={m}
            showName={showName}
            answered={answers.has(key)}
            answer={answers.get(key)}
            live={m.conversationId === conversationId}
            chat={chat}
            onAction={act}
            emailDone={state.conversation?.email}
          />
        );
      })}
      {outbox.map((o) => (
        <Pending key={o.frame.clientId} item={o} chat={chat} />
      ))}
    </div>
  );
}

interface MessageProps {
  message: ChatMessage;
  showName: boolean;
  answered: boolean;
  answer: Action | undefined;
  live: boolean;
  chat: Chat;
  emailDone: string | undefined;
  onAction(action: Action, label: string): void;
}

function Message({ message: m, showName, answered, answer, live, chat, emailDone, onAction }: MessageProps) {
  const c = m.content;
  const name = authorName(m);
  const who = showName ? (
    <p class="who" aria-hidden="true">
      {name}
    </p>
  ) : null;
  const said = <span class="sr">{m.author === 'customer' ? 'You said: ' : `${name} said: `}</span>;

  switch (c.type) {
    case 'note':
      return null;
    case 'event':
      return <p class="system">{eventText(c.event, c.agentName)}</p>;
    case 'action':
      return (
        <p class="press">
          <span class="sr">You chose: </span>
          {c.label}
        </p>
      );
    case 'text':
      if (m.author === 'system') return <p class="system">{c.text}</p>;
      return (
        <>
          {who}
          <p class={m.author === 'customer' ? 'bubble me' : 'bubble them'}>
            {said}
            {c.text}
          </p>
        </>
      );
    case 'article':
      return (
        <>
          {who}
          <ArticleCard article={c} href={chat.resolveUrl(c.url)} answer={answer} answered={answered} live={live} onAction={onAction} />
        </>
      );
    case 'choices':
      return (
        <>
          {who}
          <p class="bubble them">
            {said}
            {c.text}
          </p>
          <div class="row" role="group" aria-label={c.text}>
            {c.choices.map((choice, i) => (
              <button type="button" class="btn" key={i} disabled={answered || !live} onClick={() => onAction(choice.action, choice.label)}>
                {choice.label}
              </button>
            ))}
          </div>
        </>
      );
    case 'ces':
      return (
        <>
          {who}
          <CesSurvey survey={c} answer={answer} answered={answered} live={live} onAction={onAction} />
        </>
      );
    case 'csat':
      return (
        <>
          {who}
          <CsatSurvey survey={c} answer={answer} answered={answered} live={live} onAction={onAction} />
        </>
      );
    case 'nps':
      return (
        <>
          {who}
          <NpsSurvey survey={c} answer={answer} answered={answered} live={live} onAction={onAction} />
        </>
      );
    case 'email_request': {
      const given = answer?.kind === 'email' ? answer.email : emailDone;
      return (
        <>
          {who}
          <EmailForm
            text={c.text}
            done={answered ? (given ?? true) : false}
            disabled={!live}
            onSubmit={(email) => onAction({ kind: 'email', email }, email)}
          />
        </>
      );
    }
    default:
      return null;
  }
}

function Pending({ item, chat }: { item: Outgoing; chat: Chat }) {
  const f = item.frame;
  const status =
    item.status === 'failed' ? `Not sent: ${errorText(item.errorCode ?? '', item.error ?? '')}` : item.status === 'sent' ? 'Sent' : 'Sending…';
  return (
    <>
      {f.type === 'message' ? (
        <p class="bubble me">
          <span class="sr">You said: </span>
          {f.text}
        </p>
      ) : (
        <p class="press">
          <span class="sr">You chose: </span>
          {f.label}
        </p>
      )}
      <p class={item.status === 'failed' ? 'meta failed' : 'meta'}>
        <span>{status}</span>
        {item.status === 'failed' && (
          <>
            {item.errorCode !== 'message_too_large' && (
              <button type="button" class="link" onClick={() => chat.retry(f.clientId)}>
                Retry
              </button>
            )}
            <button type="button" class="link" onClick={() => chat.discard(f.clientId)}>
              Remove
            </button>
          </>
        )}
      </p>
    </>
  );
}
