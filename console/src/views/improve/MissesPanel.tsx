import { useEffect, useState } from 'preact/hooks';
import { pathOf } from '../../routes';
import { type InboxItem, kb } from '../knowledge/api';

const KINDS: [string, string][] = [
  ['fallback', 'not understood'],
  ['not_helpful', "answers that didn't help"],
  ['no_choice', 'clarifications with no option picked'],
  ['escalated_after_answer', 'hand-overs right after an answer'],
  ['agent_article', 'answered by an agent with an article'],
];

/**
 * The dashboard's view of the bot's misses: wrong answers and dead-end clarifications count too
 * (the old "top unanswered" list saw fallbacks only). The work happens in "Improve the bot".
 */
export function MissesPanel() {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  useEffect(() => {
    kb.inbox({ sort: 'frequent', status: 'open' })
      .then((r) => setItems(r.items.filter((i) => !i.confirmedOnly)))
      .catch(() => setItems([]));
  }, []);
  const total = (kind: string) => (items ?? []).reduce((n, i) => n + (i.kinds[kind] ?? 0), 0);
  return (
    <section class="panel" aria-labelledby="misses-heading" data-testid="misses-panel">
      <div class="panel-head">
        <h2 id="misses-heading">Bot misses to review</h2>
        <a href={pathOf('improve')} data-testid="open-improve">Open “Improve the bot”</a>
      </div>
      {items === null ? (
        <p class="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">Nothing to review in the last 30 days.</p>
      ) : (
        <>
          <p>
            <strong>{items.length}</strong> questions waiting (last 30 days), most asked: {items.slice(0, 3).map((i) => `“${i.text}” ×${i.count}`).join(', ')}
          </p>
          <ul>
            {KINDS.filter(([k]) => total(k) > 0).map(([k, label]) => (
              <li key={k}>
                {total(k)} {label}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
