import type { CannedResponse } from '../types';
import { PopoverResults, SearchPopover } from './SearchPopover';

/** A small popover listing canned responses; picking one inserts its expanded text. */
export function CannedPicker({ responses, onPick }: { responses: CannedResponse[]; onPick(r: CannedResponse): void }) {
  return (
    <SearchPopover id="canned-popover" label="Canned responses" dialogLabel="Canned responses" inputLabel="Filter canned responses" placeholder="Filter…" testId="canned-toggle">
      {(query, close) => {
        const f = query.trim().toLowerCase();
        const shown = responses.filter((r) => !f || r.title.toLowerCase().includes(f) || r.body.toLowerCase().includes(f));
        return (
          <PopoverResults
            items={shown}
            empty={responses.length === 0 ? 'No canned responses yet. Admins add them in Settings.' : 'Nothing matches.'}
            testId="canned-item"
            title={(r) => r.title}
            text={(r) => r.body}
            onPick={(r) => {
              onPick(r);
              close();
            }}
          />
        );
      }}
    </SearchPopover>
  );
}
