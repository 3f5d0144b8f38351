import type { CannedResponse } from '../types';
import { SearchPopover } from './SearchPopover';

/** A small popover listing canned responses; picking one inserts its expanded text. */
export function CannedPicker({ responses, onPick }: { responses: CannedResponse[]; onPick(r: CannedResponse): void }) {
  return (
    <SearchPopover id="canned-popover" label="Canned responses" dialogLabel="Canned responses" inputLabel="Filter canned responses" placeholder="Filter…" testId="canned-toggle">
      {(query, close) => {
        const f = query.trim().toLowerCase();
        const shown = responses.filter((r) => !f || r.title.toLowerCase().includes(f) || r.body.toLowerCase().includes(f));
        if (shown.length === 0) return <p class="muted small pad">{responses.length === 0 ? 'No canned responses yet. Admins add them in Settings.' : 'Nothing matches.'}</p>;
        return (
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
        );
      }}
    </SearchPopover>
  );
}
