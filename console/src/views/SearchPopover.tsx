import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A button that opens a small dialog with a search box and what it finds (canned responses,
 * help articles): focus goes to the box, and a click outside or Escape closes it and clears the
 * query. `children` renders the results for the current query and gets `close` for a pick.
 */
export function SearchPopover(props: {
  id: string;
  label: string;
  dialogLabel: string;
  inputLabel: string;
  placeholder: string;
  disabled?: boolean;
  testId: string;
  inputTestId?: string;
  children(query: string, close: () => void): ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const onDown = (e: Event) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    setQuery('');
  };

  return (
    <div
      class="canned"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button type="button" class="small" aria-expanded={open} aria-controls={props.id} disabled={props.disabled} onClick={() => (open ? close() : setOpen(true))} data-testid={props.testId}>
        {props.label}
      </button>
      {open && (
        <div class="popover" id={props.id} role="dialog" aria-label={props.dialogLabel}>
          <label for={`${props.id}-search`} class="sr-only">
            {props.inputLabel}
          </label>
          <input id={`${props.id}-search`} ref={search} type="search" placeholder={props.placeholder} value={query} onInput={(e) => setQuery(e.currentTarget.value)} data-testid={props.inputTestId} />
          {props.children(query, close)}
        </div>
      )}
    </div>
  );
}

/**
 * What a SearchPopover found: an empty-state line, or a list of buttons, each a title over a
 * line of text. One markup for every popover, so they look and read alike.
 */
export function PopoverResults<T extends { id: string }>(props: {
  items: T[];
  /** Shown instead of the list when `items` is empty. */
  empty: string;
  testId: string;
  title(item: T): ComponentChildren;
  text(item: T): ComponentChildren;
  lang?(item: T): string;
  disabled?: boolean;
  onPick(item: T): void;
}) {
  if (props.items.length === 0) return <p class="muted small pad">{props.empty}</p>;
  return (
    <ul class="canned-list">
      {props.items.map((item) => (
        <li key={item.id}>
          <button type="button" data-testid={props.testId} disabled={props.disabled} onClick={() => props.onPick(item)}>
            <span class="canned-title" lang={props.lang?.(item)}>
              {props.title(item)}
            </span>
            <span class="canned-body" lang={props.lang?.(item)}>
              {props.text(item)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
