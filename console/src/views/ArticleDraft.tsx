import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { capitalize, slugify } from '../format';
import type { ArticleDraft } from '../types';

interface Props {
  question: string;
  examples: string[];
  onClose(): void;
}

/** A pre-filled knowledge-base article (Markdown) and NLU examples for an unanswered question. */
export function ArticleDraftPanel({ question, examples, onClose }: Props) {
  const [draft, setDraft] = useState<ArticleDraft | null>(null);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const examplesKey = JSON.stringify(examples);

  useEffect(() => {
    let live = true;
    setDraft(null);
    setError('');
    api
      .articleDraft(question, examples)
      .then((d) => live && setDraft(d))
      .catch((err: unknown) => live && setError(capitalize(err instanceof Error ? err.message : 'The draft could not be made.')));
    heading.current?.focus();
    return () => {
      live = false;
    };
  }, [question, examplesKey]);

  const slug = slugify(question);
  const mdUrl = useBlobUrl(draft?.markdown, 'text/markdown;charset=utf-8');
  const nluUrl = useBlobUrl(draft?.nlu, 'application/yaml;charset=utf-8');

  const copy = async (what: 'Markdown' | 'NLU', text: string, fallback: HTMLTextAreaElement | null) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied to the clipboard.`);
    } catch {
      if (fallback) {
        fallback.focus();
        fallback.select();
        const ok = document.execCommand?.('copy');
        setCopied(ok ? `${what} copied to the clipboard.` : 'Copying is blocked here: the text is selected, press Ctrl+C.');
      }
    }
  };

  return (
    <section class="panel draft-panel" aria-labelledby="draft-heading" data-testid="draft-panel" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="panel-head">
        <h2 id="draft-heading" tabIndex={-1} ref={heading}>
          Draft article: <span class="draft-q">{question}</span>
        </h2>
        <button type="button" class="ghost" onClick={onClose} data-testid="draft-close">
          Close
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!draft && !error && <p class="muted">Preparing the draft…</p>}
      {draft && (
        <div class="draft-grid">
          <DraftFile
            id="draft-markdown"
            label="Article (Markdown) — save under knowledge/content/articles/<category>/"
            text={draft.markdown}
            url={mdUrl}
            fileName={`${slug}.md`}
            download="Download .md"
            copyTestId="draft-copy"
            downloadTestId="draft-download"
            primary
            onCopy={(box) => void copy('Markdown', draft.markdown, box)}
          />
          <DraftFile
            id="draft-nlu"
            label="Training examples (Rasa NLU YAML) — add to knowledge/content/nlu.yml"
            text={draft.nlu}
            url={nluUrl}
            fileName={`${slug}.nlu.yml`}
            download="Download .yml"
            copyTestId="draft-copy-nlu"
            onCopy={(box) => void copy('NLU', draft.nlu, box)}
          />
        </div>
      )}
      <p class="success small" role="status">
        {copied}
      </p>
    </section>
  );
}

interface DraftFileProps {
  id: string;
  label: string;
  text: string;
  url: string | null;
  fileName: string;
  download: string;
  copyTestId: string;
  downloadTestId?: string;
  primary?: boolean;
  onCopy(box: HTMLTextAreaElement | null): void;
}

/** One file of the draft: read-only text, Copy, and Download when blobs are available. */
function DraftFile({ id, label, text, url, fileName, download, copyTestId, downloadTestId, primary, onCopy }: DraftFileProps) {
  const box = useRef<HTMLTextAreaElement>(null);
  return (
    <div class="stack">
      <label for={id}>{label}</label>
      <textarea id={id} ref={box} readOnly rows={16} value={text} data-testid={id} class="mono" />
      <div class="row">
        <button type="button" class={primary ? 'primary small' : 'small'} data-testid={copyTestId} onClick={() => onCopy(box.current)}>
          Copy
        </button>
        {url && (
          <a class="button small" href={url} download={fileName} data-testid={downloadTestId}>
            {download}
          </a>
        )}
      </div>
    </div>
  );
}

function useBlobUrl(text: string | undefined, type: string): string | null {
  const url = useMemo(() => (text === undefined || typeof URL.createObjectURL !== 'function' ? null : URL.createObjectURL(new Blob([text], { type }))), [text, type]);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  return url;
}
