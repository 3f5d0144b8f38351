import { formatPercent } from '../../format';
import type { Metrics, MetricsTable } from '../../types';
import { MissesPanel } from '../improve/MissesPanel';

/** Agent workload, article helpfulness and the questions nobody answered, with their CSV exports. */
export function Tables({ data, csv }: { data: Metrics; csv: (t: MetricsTable) => preact.JSX.Element }) {
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

      {/* Misses (wrong answers and dead-end clarifications too) are reviewed in "Improve the bot" (issue 14). */}
      <MissesPanel />
    </>
  );
}
