import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { utf8Length } from './chat';
import { CLIP } from './Attachment';
import { useUi } from './ui';

/** Show the counter once fewer than this many characters are left. */
const COUNTER_FROM = 500;

interface Props {
  value: string;
  inputRef: RefObject<HTMLTextAreaElement>;
  onInput(value: string): void;
  /** Returns false if the message was not accepted. */
  onSend(text: string): boolean;
  /** The server's limit, in UTF-8 bytes. */
  maxBytes: number;
  /** Files can be sent once there is a conversation to put them in. */
  onFile?: (file: File) => void;
  uploading: string | null;
}

/** Enter sends, Shift+Enter adds a line. The limit is the server's, in UTF-8 bytes. */
export function Composer({ value, inputRef, onInput, onSend, maxBytes, onFile, uploading }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const { t } = useUi();
  const [note, setNote] = useState('');
  const left = maxBytes - utf8Length(value.trim());
  const over = left < 0;
  const showCounter = left <= COUNTER_FROM;
  useEffect(() => {
    if (value === '' && inputRef.current) inputRef.current.style.height = '';
  }, [value, inputRef]);

  const send = () => {
    if (!value.trim()) return;
    if (over) return setNote(t('tooLong'));
    if (onSend(value)) setNote('');
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {uploading && (
        <p class="hint" role="status">
          {t('uploading', { name: uploading })}
        </p>
      )}
      <div class="line">
        {onFile && (
          <>
            <input
              ref={picker}
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
              hidden
              onChange={(e) => {
                const el = e.currentTarget;
                const file = el.files?.[0];
                if (file) onFile(file);
                el.value = '';
              }}
            />
            <button type="button" class="file" aria-label={t('attach')} title={t('attach')} disabled={!!uploading} onClick={() => picker.current?.click()}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d={CLIP} />
              </svg>
            </button>
          </>
        )}
        <textarea
          ref={inputRef}
          aria-label={t('message')}
          placeholder={t('placeholder')}
          rows={1}
          aria-describedby={showCounter ? 'answerdesk-counter' : undefined}
          value={value}
          onInput={(e) => {
            const el = e.currentTarget as HTMLTextAreaElement;
            el.style.height = 'auto';
            el.style.height = `${Math.min(el.scrollHeight + 2, 120)}px`;
            onInput(el.value);
            if (note && !over) setNote('');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="primary" disabled={!value.trim() || over}>
          {t('send')}
        </button>
      </div>
      {showCounter && (
        <p id="answerdesk-counter" class={over ? 'counter over' : 'counter'}>
          {over ? t('over', { n: -left }) : t('left', { n: left })}
        </p>
      )}
      {note && (
        <p class="err" role="alert">
          {note}
        </p>
      )}
    </form>
  );
}
