import { formatPercent } from '../../format';
import type { Metrics, MetricsTable } from '../../types';

/** Agent workload, article helpfulness and the questions nobody answered, with their CSV exports. */
export function Tables({ data, csv, onDraft }: { data: Metrics; csv: (t: MetricsTable) => preact.JSX.Element; onDraft(d: { text: string; examples: string[] }): void }) {
  return (
    <>
      <section class="panel" aria-labelledby="agents-heading">
        <div class="panel-head">
          <h2 id="agents-heading">Agent workload</h2>
          {csv('agents')}
        </div>
        {data.agents.length === 0 ? (
          <p class="muted">No agent activity in this range.</p>
        ) : (
          <table data-testid="agents-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col" class="num">Assigned</th>
                <th scope="col" class="num">Resolved</th>
                <th scope="col" class="num">Replies</th>
              </tr>
            </thead>
            <tbody>
              {data.agents.map((a) => (
                <tr key={a.agentId}>
                  <th scope="row">{a.name}</th>
                  <td class="num">{a.assigned}</td>
                  <td class="num">{a.resolved}</td>
                  <td class="num">{a.replies}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel" aria-labelledby="articles-heading">
        <div class="panel-head">
          <h2 id="articles-heading">Article helpfulness</h2>
          {csv('articles')}
        </div>
        {data.articles.length === 0 ? (
          <p class="muted">No article feedback in this range.</p>
        ) : (
          <table data-testid="articles-table">
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col" class="num">Helpful</th>
                <th scope="col" class="num">Not helpful</th>
                <th scope="col" class="num">Helpfulness</th>
              </tr>
            </thead>
            <tbody>
              {data.articles.map((a) => (
                <tr key={a.articleId}>
                  <th scope="row">
                    {a.title} <span class="muted small">({a.articleId})</span>
                  </th>
                  <td class="num">{a.helpful}</td>
                  <td class="num">{a.notHelpful}</td>
                  <td class={`num${a.helpfulness !== null && a.helpfulness < 0.5 ? ' low' : ''}`}>{formatPercent(a.helpfulness)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel" aria-labelledby="unanswered-heading">
        <div class="panel-head">
          <h2 id="unanswered-heading">Top unanswered questions</h2>
          {csv('unanswered')}
        </div>
        {data.unanswered.length === 0 ? (
          <p class="muted">The bot had an answer for everything in this range.</p>
        ) : (
          <table data-testid="unanswered-table">
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col" class="num">Times asked</th>
                <th scope="col">Examples</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.unanswered.map((u, i) => (
                <tr key={`${i}-${u.text}`} data-testid="unanswered-row">
                  <th scope="row">{u.text}</th>
                  <td class="num">{u.count}</td>
                  <td>
                    {u.examples.length === 0 ? (
                      <span class="muted">—</span>
                    ) : (
                      <ul class="examples">
                        {u.examples.slice(0, 5).map((ex, j) => (
                          <li key={j}>{ex}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <button type="button" class="small" data-testid="draft-article" onClick={() => onDraft({ text: u.text, examples: u.examples })}>
                      Draft an article<span class="sr-only"> for “{u.text}”</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
