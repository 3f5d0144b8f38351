import { useState } from 'preact/hooks';
import type { ArticleContent, Revision } from './api';
import { ContentDiff } from './Diff';

const ACTION: Record<string, string> = {
  create: 'created',
  save: 'saved',
  publish: 'published',
  unpublish: 'unpublished',
  archive: 'archived',
  restore: 'restored an earlier revision',
  proposal: 'proposed a change',
  import: 'imported',
  phrasing: 'changed phrasings',
};

/** Who changed what and when; each revision's difference from the editor's content, and restore. */
export function Revisions({ revisions, current, canRestore, onRestore }: { revisions: Revision[]; current: ArticleContent; canRestore: boolean; onRestore(r: Revision): void }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section class="kb-history" aria-labelledby="kb-history-heading">
      <h3 id="kb-history-heading">History</h3>
      <ol data-testid="kb-revisions">
        {revisions.map((r) => (
          <li key={r.id} data-testid="kb-revision">
            <span>
              <strong>{r.agentName ?? 'Someone'}</strong> {ACTION[r.action] ?? r.action} · v{r.version} · {new Date(r.createdAt).toLocaleString()}
              {r.note ? <span class="muted"> — {r.note}</span> : null}
            </span>
            <span class="kb-actions">
              <button type="button" class="ghost" onClick={() => setOpen(open === r.id ? null : r.id)} aria-expanded={open === r.id} data-testid="kb-revision-diff">
                {open === r.id ? 'Hide changes' : 'Compare with editor'}
              </button>
              {canRestore && (
                <button type="button" class="ghost" onClick={() => onRestore(r)} data-testid="kb-restore">
                  {r.action === 'proposal' ? 'Apply proposal' : 'Restore'}
                </button>
              )}
            </span>
            {open === r.id && <ContentDiff before={current} after={r.snapshot} beforeLabel="In the editor" afterLabel={`Revision v${r.version}`} />}
          </li>
        ))}
      </ol>
    </section>
  );
}
