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
  const mdBox = useRef<HTMLTextAreaElement>(null);
  const nluBox = useRef<HTMLTextAreaElement>(null);

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
          <div class="stack">
            <label for="draft-markdown">Article (Markdown) — save under knowledge/articles/</label>
            <textarea id="draft-markdown" ref={mdBox} readOnly rows={16} value={draft.markdown} data-testid="draft-markdown" class="mono" />
            <div class="row">
              <button type="button" class="primary small" data-testid="draft-copy" onClick={() => void copy('Markdown', draft.markdown, mdBox.current)}>
                Copy
              </button>
              {mdUrl && (
                <a class="button small" href={mdUrl} download={`${slug}.md`} data-testid="draft-download">
                  Download .md
                </a>
              )}
            </div>
          </div>
          <div class="stack">
            <label for="draft-nlu">Training examples (Rasa NLU YAML)</label>
            <textarea id="draft-nlu" ref={nluBox} readOnly rows={16} value={draft.nlu} data-testid="draft-nlu" class="mono" />
            <div class="row">
              <button type="button" class="small" data-testid="draft-copy-nlu" onClick={() => void copy('NLU', draft.nlu, nluBox.current)}>
                Copy
              </button>
              {nluUrl && (
                <a class="button small" href={nluUrl} download={`${slug}.nlu.yml`}>
                  Download .yml
                </a>
              )}
            </div>
          </div>
        </div>
      )}
      <p class="success small" role="status">
        {copied}
      </p>
    </section>
  );
}

function useBlobUrl(text: string | undefined, type: string): string | null {
  const url = useMemo(() => (text === undefined || typeof URL.createObjectURL !== 'function' ? null : URL.createObjectURL(new Blob([text], { type }))), [text, type]);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  return url;
}
