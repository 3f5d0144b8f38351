import { useEffect, useRef } from 'preact/hooks';
import type { Action } from '../../../bot/types';
import type { ChatMessage } from '../../../server/channels/web/protocol';
import { parseAttachment } from '../../../server/domain/attachments';
import { answeredMessages, messageKey } from './answered';
import { Attachment } from './Attachment';
import { ArticleCard } from './ArticleCard';
import { CesSurvey } from './CesSurvey';
import { CsatSurvey } from './CsatSurvey';
import { NpsSurvey } from './NpsSurvey';
import type { Chat, ChatState } from './chat';
import { EmailForm } from './EmailForm';
import { authorName, errorText, isOffline } from './labels';
import { Rich } from './Rich';
import type { Outgoing } from './transcript';
import { initials, timeLabel, useUi } from './ui';

/** A new "who · when" line starts after another author or this long a pause. */
const GROUP_GAP_MS = 5 * 60_000;

interface Props {
  chat: Chat;
  state: ChatState;
}

/** The conversation. Text is rendered through the shared Markdown tree (`Rich`) — never as HTML. */
export function MessageList({ chat, state }: Props) {
  const { t, config, teamName } = useUi();
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
  const greeting = config?.branding.greeting || t('greeting');

  return (
    <div class="log" role="log" aria-live="polite" aria-label={t('conversation')} tabIndex={0} ref={ref}>
      {count === 0 && (
        <>
          <div class="welcome">
            <Avatar name={teamName} bot />
            <p>{greeting}</p>
          </div>
          {!!config?.popular?.length && (
            <nav class="starts" aria-label={t('popular')}>
              <h3>{t('popular')}</h3>
              <ul>
                {config.popular.map((a) => (
                  <li key={a.id}>
                    <a href={chat.resolveUrl(a.url)} target="_blank" rel="noopener noreferrer">
                      {a.title}
                      <span class="sr"> {t('newTab')}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </>
      )}
      {messages.map((m) => {
        const visible = m.content.type !== 'note' && m.content.type !== 'event' && m.content.type !== 'action';
        const startsGroup = visible && !(previous && previous.author === m.author && previous.authorName === m.authorName && Date.parse(m.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS);
        if (visible) previous = m;
        if (m.content.type === 'event') previous = undefined;
        const key = messageKey(m);
        return (
          <Message
            key={key}
            message={m}
            startsGroup={startsGroup}
            answered={answers.has(key)}
            answer={answers.get(key)}
            live={m.conversationId === conversationId}
            away={isOffline(state.availability)}
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

function Avatar({ name, bot }: { name: string; bot?: boolean }) {
  const { config } = useUi();
  if (config?.branding.showAvatars === false) return null;
  const logo = bot ? config?.branding.logoUrl : '';
  return (
    <span class={bot ? 'av bot' : 'av'} aria-hidden="true">
      {logo ? <img src={logo} alt="" /> : initials(name)}
    </span>
  );
}

interface MessageProps {
  message: ChatMessage;
  startsGroup: boolean;
  answered: boolean;
  answer: Action | undefined;
  live: boolean;
  /** Nobody is online now: the queue line does not promise a person "soon". */
  away: boolean;
  chat: Chat;
  emailDone: string | undefined;
  onAction(action: Action, label: string): void;
}

function Message({ message: m, startsGroup, answered, answer, live, away, chat, emailDone, onAction }: MessageProps) {
  const { t, locale, teamName } = useUi();
  const c = m.content;
  const name = m.author === 'bot' && !m.authorName ? teamName : authorName(m, t);
  const when = timeLabel(m.createdAt, locale);
  const mine = m.author === 'customer';
  const who = startsGroup ? (
    <p class={mine ? 'who mine' : 'who'}>
      {!mine && <Avatar name={name} bot={m.author === 'bot'} />}
      <span aria-hidden="true">{mine ? t('you') : name}</span>
      <time dateTime={m.createdAt}>{when}</time>
    </p>
  ) : null;
  const said = <span class="sr">{mine ? t('youSaid') : t('said', { name })}</span>;

  switch (c.type) {
    case 'note':
      return null;
    case 'event':
      return (
        <p class="system">
          {c.event === 'escalated' ? t(away ? 'queuedAway' : 'queued') : c.event === 'assigned' ? t('joined', { name: c.agentName ?? t('agent') }) : t(c.event)}
        </p>
      );
    case 'action':
      // An email given in the form shows there (✓ address); no second chip for it.
      if (c.action.kind === 'email') return null;
      return (
        <p class="press">
          <span class="sr">{t('youChose')}</span>
          {c.label}
        </p>
      );
    case 'text': {
      if (m.author === 'system') return <p class="system">{c.text}</p>;
      const file = parseAttachment(c.text);
      if (file)
        return (
          <>
            {who}
            <Attachment file={file} mine={mine} />
          </>
        );
      return (
        <>
          {who}
          <div class={mine ? 'bubble me' : 'bubble them'} title={when}>
            {said}
            <Rich text={c.text} />
          </div>
        </>
      );
    }
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
          <div class="bubble them">
            {said}
            <Rich text={c.text} />
          </div>
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
          <EmailForm text={c.text} done={answered ? (given ?? true) : false} disabled={!live} onSubmit={(email) => onAction({ kind: 'email', email }, email)} />
        </>
      );
    }
    default:
      return null;
  }
}

function Pending({ item, chat }: { item: Outgoing; chat: Chat }) {
  const { t } = useUi();
  const f = item.frame;
  const status = item.status === 'failed' ? `${t('notSent')}${errorText(item.errorCode ?? '', item.error ?? '', t)}` : item.status === 'sent' ? t('sent') : t('sending');
  return (
    <>
      {f.type === 'message' ? (
        <p class="bubble me">
          <span class="sr">{t('youSaid')}</span>
          {f.text}
        </p>
      ) : (
        <p class="press">
          <span class="sr">{t('youChose')}</span>
          {f.label}
        </p>
      )}
      <p class={item.status === 'failed' ? 'meta failed' : 'meta'}>
        <span>{status}</span>
        {item.status === 'failed' && (
          <>
            {item.errorCode !== 'message_too_large' && (
              <button type="button" class="link" onClick={() => chat.retry(f.clientId)}>
                {t('retry')}
              </button>
            )}
            <button type="button" class="link" onClick={() => chat.discard(f.clientId)}>
              {t('remove')}
            </button>
          </>
        )}
      </p>
    </>
  );
}
