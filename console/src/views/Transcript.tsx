import { OriginalEmail } from './email/OriginalEmail';
import { useEffect, useRef } from 'preact/hooks';
import { formatTime, safeHref } from '../format';
import { actionDetail, eventLabel } from '../messages';
import { Rich } from '../../../widget/src/panel/Rich';
import { parseAttachment } from '../../../server/domain/attachments';
import type { ChatMessage } from '../types';

/**
 * The full conversation. Everything customers and agents typed is rendered as text nodes
 * (preact escapes it); there is no innerHTML anywhere in the console.
 */
export function Transcript({ messages }: { messages: ChatMessage[] }) {
  const list = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1]?.seq ?? 0;
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [last]);

  return (
    <div class="transcript" ref={list} data-testid="transcript" role="log" aria-label="Conversation transcript" tabIndex={0}>
      {messages.length === 0 ? (
        <p class="muted pad">No messages yet.</p>
      ) : (
        <ol class="transcript-list">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} />
          ))}
        </ol>
      )}
    </div>
  );
}

const AUTHOR_LABEL: Record<ChatMessage['author'], string> = { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' };

function MessageItem({ message: m }: { message: ChatMessage }) {
  const c = m.content;
  const time = (
    <time class="time" dateTime={m.createdAt}>
      {formatTime(m.createdAt)}
    </time>
  );
  if (c.type === 'event') {
    return (
      <li class="msg msg-event" data-testid="message" data-author="system" data-kind="event">
        <span>{eventLabel(c)}</span> {time}
      </li>
    );
  }
  const who = m.authorName ?? AUTHOR_LABEL[m.author];
  const head = (
    <p class="msg-head">
      <span class="author">{who}</span>
      {m.author === 'bot' && <span class="badge">bot</span>}
      {c.type === 'note' && <span class="badge note-badge">Internal note</span>}
      {time}
    </p>
  );
  const common = { 'data-testid': 'message', 'data-author': m.author, 'data-kind': c.type, 'data-seq': String(m.seq) };
  const cls = `msg msg-${m.author}`;

  switch (c.type) {
    case 'note':
      return (
        <li class={`${cls} msg-note`} {...common} aria-label={`Internal note by ${who}`}>
          {head}
          <div class="text rich">
            <Rich text={c.text} />
          </div>
          <p class="note-hint">Only agents can see this.</p>
        </li>
      );
    case 'text': {
      const file = parseAttachment(c.text);
      return (
        <li class={cls} {...common}>
          {head}
          {file ? (
            <p class="text" data-testid="attachment">
              {file.kind === 'image' && (
                <a href={file.url} target="_blank" rel="noopener noreferrer">
                  <img class="attachment-img" src={file.url} alt={file.name} loading="lazy" />
                </a>
              )}
              <span aria-hidden="true">Attachment: </span>
              <a href={`${file.url}?download`} download={file.name}>
                {file.name}
              </a>{' '}
              <span class="muted small">({file.kind === 'pdf' ? 'PDF, ' : ''}{file.size})</span>
            </p>
          ) : (
            <div class="text rich">
              <Rich text={c.text} />
            </div>
          )}
          {m.author === 'customer' && m.clientId?.startsWith('email:') && <OriginalEmail messageId={m.id} />}
        </li>
      );
    }
    case 'article': {
      const href = safeHref(c.url);
      return (
        <li class={cls} {...common}>
          {head}
          <div class="card article-card">
            <p class="card-kicker">Offered article</p>
            <p class="card-title">{href ? <a href={href} target="_blank" rel="noopener noreferrer">{c.title}</a> : c.title}</p>
            {c.summary && <p class="card-body">{c.summary}</p>}
            <p class="card-foot muted">
              Article <code>{c.articleId}</code>
              {c.intent ? <> · intent <code>{c.intent}</code></> : null}
              {c.askFeedback ? ' · asked “Did this help?”' : ''}
            </p>
          </div>
        </li>
      );
    }
    case 'choices':
      return (
        <li class={cls} {...common}>
          {head}
          <div class="text rich">
            <Rich text={c.text} />
          </div>
          <ul class="choices" aria-label="Choices offered">
            {c.choices.map((ch, i) => (
              <li key={i} class="chip">
                {ch.label}
              </li>
            ))}
          </ul>
        </li>
      );
    case 'ces':
      return (
        <li class={cls} {...common}>
          {head}
          <p class="text">{c.question}</p>
          <p class="muted small">Effort survey ({c.scale === 'seven-point' ? '1–7 scale' : 'three choices'})</p>
        </li>
      );
    case 'csat':
      return (
        <li class={cls} {...common}>
          {head}
          <p class="text">{c.question}</p>
          <p class="muted small">Satisfaction survey (1–{c.scale} scale)</p>
        </li>
      );
    case 'nps':
      return (
        <li class={cls} {...common}>
          {head}
          <p class="text">{c.question}</p>
          <p class="muted small">Net Promoter survey (0–{c.scale} scale)</p>
        </li>
      );
    case 'email_request':
      return (
        <li class={cls} {...common}>
          {head}
          <div class="text rich">
            <Rich text={c.text} />
          </div>
          <p class="muted small">Asked the customer for an email address</p>
        </li>
      );
    case 'action':
      return (
        <li class={`${cls} msg-action`} {...common}>
          {head}
          <p class="text">
            <span class="pressed">Pressed “{c.label}”</span> <span class="muted">— {actionDetail(c.action)}</span>
          </p>
        </li>
      );
    default:
      return (
        <li class={cls} {...common}>
          {head}
          <p class="muted">Unsupported message</p>
        </li>
      );
  }
}
