import { useState } from 'preact/hooks';
import { mergeTags } from '../format';

interface Props {
  tags: string[];
  disabled: boolean;
  /** Resolves true when saved. */
  onChange(tags: string[]): Promise<boolean>;
}

export function TagsEditor({ tags, disabled, onChange }: Props) {
  const [input, setInput] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    const next = mergeTags(tags, input);
    if (next.length === tags.length) return setInput('');
    if (await onChange(next)) setInput('');
  };
  return (
    <div class="tags" data-testid="tags">
      <span class="tags-label" id="tags-label">
        Tags
      </span>
      <ul class="tag-list" aria-labelledby="tags-label">
        {tags.length === 0 && <li class="muted small">none</li>}
        {tags.map((t) => (
          <li key={t} class="tag">
            {t}
            <button type="button" class="tag-remove" aria-label={`Remove tag ${t}`} disabled={disabled} onClick={() => void onChange(tags.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form class="tag-add" onSubmit={add}>
        <label class="sr-only" for="tag-input">
          Add tags (comma separated)
        </label>
        <input id="tag-input" type="text" placeholder="Add tag…" maxLength={200} value={input} onInput={(e) => setInput(e.currentTarget.value)} data-testid="tag-input" />
        <button type="submit" class="small" disabled={disabled || !input.trim()}>
          Add
        </button>
      </form>
    </div>
  );
}
