import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { describeCes, describeDaily } from '../chart-data';
import { cesChart, dailyChart } from '../charts';
import { csatDetail, formatDuration, formatNumber, formatPercent, lastNDays, metricsQuery } from '../format';
import { CHANNEL_LABEL, CHANNELS, type Metrics, type MetricsTable } from '../types';
import { ArticleDraftPanel } from './ArticleDraft';
import { MissesPanel } from './improve/MissesPanel';
import { Chart } from './Chart';

/** Support metrics: KPIs, trends, workload, article quality and the questions nobody answered. */
export function Dashboard() {
  const [range, setRange] = useState(() => lastNDays(7));
  const [channel, setChannel] = useState('');
  const [data, setData] = useState<Metrics | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [draft, setDraft] = useState<{ text: string; examples: string[] } | null>(null);
  const request = useRef(0);
  const query = metricsQuery(range, channel);
  const invalid = range.from > range.to;

  const load = useCallback(async () => {
    if (invalid) return;
    const id = ++request.current;
    setLoading(true);
    try {
      const m = await api.metrics(query);
      if (id !== request.current) return;
      setData(m);
      setError('');
    } catch (err) {
      if (id !== request.current) return;
      if (err instanceof ApiError && err.status === 401) return;
      setError(err instanceof Error ? err.message : 'Metrics could not be loaded.');
    } finally {
      if (id === request.current) setLoading(false);
    }
  }, [query, invalid]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.title = 'Dashboard · answerdesk';
    return () => void (document.title = 'answerdesk');
  }, []);

  const csv = (table: MetricsTable) => (
    <a class="csv" href={`/api/metrics/${table}.csv?${query}`} download={`answerdesk-${table}-${range.from}-to-${range.to}.csv`} data-testid={`csv-${table}`}>
      CSV<span class="sr-only"> download of {table}</span>
    </a>
  );

  return (
    <div class="dashboard" aria-busy={loading}>
      <div class="dash-head">
        <h1>Dashboard</h1>
        <form class="dash-filters" onSubmit={(e) => e.preventDefault()} aria-label="Dashboard filters">
          <label>
            <span>From</span>
            <input type="date" value={range.from} max={range.to} onChange={(e) => e.currentTarget.value && setRange((r) => ({ ...r, from: e.currentTarget.value }))} data-testid="dashboard-from" />
          </label>
          <label>
            <span>To</span>
            <input type="date" value={range.to} min={range.from} onChange={(e) => e.currentTarget.value && setRange((r) => ({ ...r, to: e.currentTarget.value }))} data-testid="dashboard-to" />
          </label>
          <label>
            <span>Channel</span>
            <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)} data-testid="dashboard-channel">
              <option value="">All channels</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABEL[c]}
                </option>
              ))}
            </select>
          </label>
          <div class="presets" role="group" aria-label="Quick ranges">
            {[7, 30, 90].map((n) => (
              <button type="button" class="small" key={n} onClick={() => setRange(lastNDays(n))}>
                {n} days
              </button>
            ))}
          </div>
        </form>
      </div>
      {invalid && (
        <p class="error" role="alert">
          The start date is after the end date.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}{' '}
          <button type="button" class="link" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {!data ? (
        !error && <p class="muted pad">Loading metrics…</p>
      ) : (
        <DashboardBody data={data} csv={csv} onDraft={setDraft} />
      )}
      {draft && <ArticleDraftPanel question={draft.text} examples={draft.examples} onClose={() => setDraft(null)} />}
    </div>
  );
}

function Kpi({ label, value, detail, testId }: { label: string; value: string; detail?: string | undefined; testId: string }) {
  return (
    <div class="kpi" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <span class="kpi-value" data-testid={`${testId}-value`}>
          {value}
        </span>
        {detail && <span class="kpi-detail">{detail}</span>}
      </dd>
    </div>
  );
}

function DashboardBody({ data, csv, onDraft }: { data: Metrics; csv: (t: MetricsTable) => preact.JSX.Element; onDraft(d: { text: string; examples: string[] }): void }) {
  const s = data.summary;
  const ces = s.ces ?? { average: null, count: 0, distribution: [], botOnlyAverage: null, withPersonAverage: null };
  // CSAT is optional: its tile appears once it is switched on or has answers in the range.
  const csat = s.csat?.enabled || (s.csat?.count ?? 0) > 0 ? s.csat : undefined;
  const daily = data.daily ?? [];
  const buildDaily = useMemo(() => (el: HTMLElement, w: number) => dailyChart(el, daily, w), [daily]);
  const buildCes = useMemo(() => (el: HTMLElement, w: number) => cesChart(el, ces.distribution, w), [ces.distribution]);

  return (
    <>
      <section aria-labelledby="kpi-heading" class="panel">
        <div class="panel-head">
          <h2 id="kpi-heading">
            Summary <span class="muted small">{data.range ? `${data.range.from} – ${data.range.to}` : ''}</span>
          </h2>
          {csv('summary')}
        </div>
        <dl class="kpis">
          <Kpi testId="dashboard-kpi-conversations" label="Conversations" value={formatNumber(s.conversations)} />
          <Kpi testId="dashboard-kpi-selfservice" label="Self-service rate" value={formatPercent(s.selfServiceRate)} detail="resolved without a person" />
          <Kpi testId="dashboard-kpi-escalation" label="Escalation rate" value={formatPercent(s.escalationRate)} detail="handed to a person" />
          <Kpi testId="dashboard-kpi-fcr" label="First-contact resolution" value={formatPercent(s.firstContactResolutionRate)} />
          <Kpi
            testId="dashboard-kpi-ces"
            label="Customer effort (1–7)"
            value={formatNumber(ces.average, 1)}
            detail={`bot only ${formatNumber(ces.botOnlyAverage, 1)} · with a person ${formatNumber(ces.withPersonAverage, 1)} · ${ces.count} ${ces.count === 1 ? 'answer' : 'answers'}`}
          />
          {csat && (
            <Kpi
              testId="dashboard-kpi-csat"
              label="Customer satisfaction (1–5)"
              value={formatNumber(csat.average, 1)}
              detail={csatDetail(csat)}
            />
          )}
          <Kpi testId="dashboard-kpi-first-response" label="First response" value={formatDuration(s.firstResponse?.medianMs)} detail={`median · p90 ${formatDuration(s.firstResponse?.p90Ms)}`} />
          <Kpi testId="dashboard-kpi-resolution" label="Resolution time" value={formatDuration(s.resolution?.medianMs)} detail={`median · p90 ${formatDuration(s.resolution?.p90Ms)}`} />
          <Kpi testId="dashboard-kpi-sla" label="SLA breaches" value={formatNumber(s.slaBreaches)} detail="first response late" />
        </dl>
      </section>

      <div class="chart-grid">
        <section class="panel" aria-labelledby="daily-heading">
          <div class="panel-head">
            <h2 id="daily-heading">Conversations per day</h2>
            {csv('daily')}
          </div>
          {daily.length === 0 ? <p class="muted">No conversations in this range.</p> : <Chart testId="chart-daily" label="Conversations, escalations and self-served per day" summary={describeDaily(daily)} build={buildDaily} />}
        </section>
        <section class="panel" aria-labelledby="ces-heading">
          <div class="panel-head">
            <h2 id="ces-heading">Customer effort scores</h2>
          </div>
          <Chart testId="chart-ces" label="Distribution of effort scores 1–7" summary={describeCes(ces.distribution)} build={buildCes} />
        </section>
      </div>

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
