import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api';
import { DEFINITIONS, type DrillFigure } from '../../../../server/domain/resolution';
import type { DrillPage } from '../../../../server/metrics/drill';
import { formatTime } from '../../format';
import { CHANNEL_LABEL } from '../../types';
import { TranscriptPanel } from './TranscriptPanel';

const PAGE = 50;
const OUTCOME_LABEL: Record<string, string> = { confirmed: 'Confirmed', assumed: 'Assumed', escalated: 'Escalated', abandoned: 'Abandoned', open: 'Open' };

/** The conversations behind a figure, 50 a page; each opens its transcript. */
export function DrillDown({ figure, query, onClose }: { figure: DrillFigure; query: string; onClose(): void }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<DrillPage | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => setOffset(0), [figure, query]);
  useEffect(() => {
    let live = true;
    setError('');
    request<DrillPage>('GET', `/api/metrics/conversations?${query}&figure=${encodeURIComponent(figure)}&offset=${offset}`)
      .then((p) => live && setPage(p))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : 'The list could not be loaded.'));
    return () => void (live = false);
  }, [figure, query, offset]);

  const def = DEFINITIONS[figure];
  const total = page?.total ?? 0;
  return (
    <section class="panel drill" aria-labelledby="drill-heading" data-testid="drill-down">
      <div class="panel-head">
        <h2 id="drill-heading">
          {def.label}: {page ? `${total.toLocaleString('en-US')} ${total === 1 ? 'conversation' : 'conversations'}` : '…'}
        </h2>
        <button type="button" class="small" onClick={onClose} data-testid="drill-close">
          Close
        </button>
      </div>
      <p class="muted definition-inline">{def.text}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {page && page.rows.length === 0 && <p class="muted">No conversations.</p>}
      {page && page.rows.length > 0 && (
        <table data-testid="drill-table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Channel</th>
              <th scope="col">Customer</th>
              <th scope="col">Outcome</th>
              <th scope="col">Topic</th>
              <th scope="col" class="num">CES</th>
              <th scope="col">
                <span class="sr-only">Transcript</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={r.conversationId} data-testid="drill-row" data-conversation={r.conversationId}>
                <td>
                  <time dateTime={r.startedAt}>{formatTime(r.startedAt)}</time>
                </td>
                <td>{CHANNEL_LABEL[r.channel as keyof typeof CHANNEL_LABEL] ?? r.channel}</td>
                <td>{r.customerName ?? r.customerEmail ?? <span class="muted">anonymous</span>}</td>
                <td>{OUTCOME_LABEL[r.outcome] ?? r.outcome}</td>
                <td>{r.articleId ?? (r.intent ? `intent: ${r.intent}` : <span class="muted">—</span>)}</td>
                <td class="num">{r.ces ?? '—'}</td>
                <td>
                  <button type="button" class="small" onClick={() => setOpen(r.conversationId)} data-testid="drill-open">
                    Transcript<span class="sr-only"> of the conversation started {r.startedAt}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && total > PAGE && (
        <nav class="pager" aria-label="Pages">
          <button type="button" class="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="drill-prev">
            Previous
          </button>
          {/* From the page shown, not the one asked for: the two differ while the next page loads. */}
          <span data-testid="drill-position">
            {page.offset + 1}–{Math.min(page.offset + page.rows.length, total)} of {total.toLocaleString('en-US')}
          </span>
          <button type="button" class="small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="drill-next">
            Next
          </button>
        </nav>
      )}
      {open && <TranscriptPanel conversationId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
