import { useEffect, useRef, useState } from 'preact/hooks';
import type { CannedResponse } from '../types';

/** A small popover listing canned responses; picking one inserts its expanded text. */
export function CannedPicker({ responses, onPick }: { responses: CannedResponse[]; onPick(r: CannedResponse): void }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
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

  const f = filter.trim().toLowerCase();
  const shown = responses.filter((r) => !f || r.title.toLowerCase().includes(f) || r.body.toLowerCase().includes(f));
  const close = () => {
    setOpen(false);
    setFilter('');
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
      <button type="button" class="small" aria-expanded={open} aria-controls="canned-popover" onClick={() => (open ? close() : setOpen(true))} data-testid="canned-toggle">
        Canned responses
      </button>
      {open && (
        <div class="popover" id="canned-popover" role="dialog" aria-label="Canned responses">
          <label for="canned-filter" class="sr-only">
            Filter canned responses
          </label>
          <input id="canned-filter" ref={search} type="search" placeholder="Filter…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          {shown.length === 0 ? (
            <p class="muted small pad">{responses.length === 0 ? 'No canned responses yet. Admins add them in Settings.' : 'Nothing matches.'}</p>
          ) : (
            <ul class="canned-list">
              {shown.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    data-testid="canned-item"
                    onClick={() => {
                      onPick(r);
                      close();
                    }}
                  >
                    <span class="canned-title">{r.title}</span>
                    <span class="canned-body">{r.body}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
