import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import type { DrillFigure } from '../../../../server/domain/resolution';
import { describeCes, describeDaily } from '../../chart-data';
import { cesChart, dailyChart } from '../../charts';
import { csatDetail, formatDuration, formatNumber, formatPercent, lastNDays } from '../../format';
import type { Metrics, MetricsTable } from '../../types';
import { Chart } from '../Chart';
import './dashboard.css';
import { DrillDown } from './DrillDown';
import { Filters } from './Filters';
import { type DashboardFilters, filtersQuery } from './filters';
import { useDefinitions } from './Info';
import { Tables } from './Tables';
import { Tile } from './Tile';

const EMPTY: Omit<DashboardFilters, 'from' | 'to'> = { channel: '', attribute: '', article: '', intent: '', agent: '', language: '' };

/**
 * The team lead's dashboard: resolution states and the rates built on them, each with its
 * definition one click away and its conversations one click away, for a range and a segment,
 * against the period before.
 */
export function Dashboard() {
  const [filters, setFilters] = useState<DashboardFilters>(() => ({ ...lastNDays(7), ...EMPTY }));
  const [data, setData] = useState<Metrics | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [drill, setDrill] = useState<DrillFigure | null>(null);
  const request = useRef(0);
  const query = filtersQuery(filters);
  const invalid = filters.from > filters.to;

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
    <a class="csv" href={`/api/metrics/${table}.csv?${query}`} download={`answerdesk-${table}-${filters.from}-to-${filters.to}.csv`} data-testid={`csv-${table}`}>
      CSV<span class="sr-only"> download of {table}</span>
    </a>
  );

  return (
    <div class="dashboard" aria-busy={loading}>
      <div class="dash-head">
        <h1>Dashboard</h1>
        <Filters value={filters} onChange={setFilters} />
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
        <>
          <Summary data={data} csv={csv} onDrill={setDrill} />
          {drill && <DrillDown figure={drill} query={query} onClose={() => setDrill(null)} />}
          <Charts data={data} csv={csv} />
          <Tables data={data} csv={csv} />
        </>
      )}
    </div>
  );
}

function Summary({ data, csv, onDrill }: { data: Metrics; csv: (t: MetricsTable) => preact.JSX.Element; onDrill(f: DrillFigure): void }) {
  const s = data.summary;
  const p = data.previous;
  const days = Math.round((Date.parse(data.range.to) - Date.parse(data.range.from)) / 86_400_000) + 1;
  const vs = `vs previous ${days} ${days === 1 ? 'day' : 'days'}`;
  const n = (v: number) => formatNumber(v);
  const showCsat = s.csat.enabled || s.csat.count > 0;
  const showNps = s.nps.enabled || s.nps.count > 0;
  return (
    <section aria-labelledby="kpi-heading" class="panel">
      <div class="panel-head">
        <h2 id="kpi-heading">
          Summary <span class="muted small">{`${data.range.from} – ${data.range.to}`}</span>
        </h2>
        {csv('summary')}
      </div>
      <dl class="kpis">
        <Tile testId="dashboard-kpi-conversations" definition="conversations" figure="conversations" value={n(s.conversations)} compare={{ current: s.conversations, previous: p.conversations, kind: 'count', label: vs }} onDrill={onDrill} />
        <Tile
          testId="dashboard-kpi-selfservice"
          definition="selfService"
          figure="selfService"
          value={formatPercent(s.selfServiceRate)}
          parts={[
            { label: 'confirmed', value: n(s.outcomes.confirmed), figure: 'confirmed' },
            { label: 'assumed', value: n(s.outcomes.assumed), figure: 'assumed' },
          ]}
          compare={{ current: s.selfServiceRate, previous: p.selfServiceRate, kind: 'rate', label: vs }}
          onDrill={onDrill}
        />
        <Tile
          testId="dashboard-kpi-escalation"
          definition="escalationRate"
          figure="escalated"
          value={formatPercent(s.escalationRate)}
          parts={[{ label: 'escalated', value: n(s.outcomes.escalated), figure: 'escalated' }]}
          compare={{ current: s.escalationRate, previous: p.escalationRate, kind: 'rate', label: vs, higherIsBetter: false }}
          onDrill={onDrill}
        />
        <Tile
          testId="dashboard-kpi-abandoned"
          definition="abandoned"
          figure="abandoned"
          value={n(s.outcomes.abandoned)}
          parts={[{ label: 'still open', value: n(s.outcomes.open), figure: 'open' }]}
          compare={{ current: s.outcomes.abandoned, previous: p.outcomes.abandoned, kind: 'count', label: vs, higherIsBetter: false }}
          onDrill={onDrill}
        />
        <Tile
          testId="dashboard-kpi-fcr"
          definition="fcr"
          figure="fcr"
          value={formatPercent(s.firstContactResolutionRate)}
          parts={[
            { label: 'reopened', value: n(s.fcr.reopened), figure: 'fcrReopened' },
            { label: 'came back', value: n(s.fcr.repeat), figure: 'fcrRepeat' },
            { label: 'switched channel', value: n(s.fcr.switched), figure: 'fcrSwitch' },
          ]}
          detail={`${n(s.fcr.firstContact)} of ${n(s.fcr.resolved)} resolved`}
          compare={{ current: s.firstContactResolutionRate, previous: p.firstContactResolutionRate, kind: 'rate', label: vs }}
          onDrill={onDrill}
        />
        <Tile
          testId="dashboard-kpi-ces"
          definition="ces"
          figure="ces"
          value={formatNumber(s.ces.average, 1)}
          detail={`bot only ${formatNumber(s.ces.botOnlyAverage, 1)} · with a person ${formatNumber(s.ces.withPersonAverage, 1)} · ${s.ces.count} ${s.ces.count === 1 ? 'answer' : 'answers'}`}
          compare={{ current: s.ces.average, previous: p.ces.average, kind: 'average', label: vs }}
          onDrill={onDrill}
        />
        {showCsat && (
          <Tile testId="dashboard-kpi-csat" definition="csat" figure="csat" value={formatNumber(s.csat.average, 1)} detail={csatDetail(s.csat)} compare={{ current: s.csat.average, previous: p.csat.average, kind: 'average', label: vs }} onDrill={onDrill} />
        )}
        {showNps && (
          <Tile
            testId="dashboard-kpi-nps"
            definition="nps"
            figure="nps"
            value={s.nps.score === null ? '—' : formatNumber(s.nps.score, 0)}
            detail={`${s.nps.promoters} promoters · ${s.nps.detractors} detractors · ${s.nps.count} ${s.nps.count === 1 ? 'answer' : 'answers'}`}
            compare={{ current: s.nps.score, previous: p.nps.score, kind: 'average', label: vs }}
            onDrill={onDrill}
          />
        )}
        <Tile testId="dashboard-kpi-first-response" definition="firstResponse" figure="firstResponse" value={formatDuration(s.firstResponse.medianMs)} detail={`median · p90 ${formatDuration(s.firstResponse.p90Ms)}`} onDrill={onDrill} />
        <Tile testId="dashboard-kpi-resolution" definition="resolution" figure="resolution" value={formatDuration(s.resolution.medianMs)} detail={`median · p90 ${formatDuration(s.resolution.p90Ms)}`} onDrill={onDrill} />
        <Tile testId="dashboard-kpi-sla" definition="slaBreaches" figure="slaBreaches" value={n(s.slaBreaches)} compare={{ current: s.slaBreaches, previous: p.slaBreaches, kind: 'count', label: vs, higherIsBetter: false }} onDrill={onDrill} />
      </dl>
    </section>
  );
}

function Charts({ data, csv }: { data: Metrics; csv: (t: MetricsTable) => preact.JSX.Element }) {
  const daily = data.daily;
  const ces = data.summary.ces;
  const buildDaily = useMemo(() => (el: HTMLElement, w: number) => dailyChart(el, daily, w), [daily]);
  const buildCes = useMemo(() => (el: HTMLElement, w: number) => cesChart(el, ces.distribution, w), [ces.distribution]);
  const dailyDef = useDefinitions(['conversations', 'selfService', 'escalated'], 'chart-daily');
  const cesDef = useDefinitions(['ces'], 'chart-ces');
  return (
    <div class="chart-grid">
      <section class="panel" aria-labelledby="daily-heading">
        <div class="panel-head">
          <h2 id="daily-heading">
            Conversations per day {dailyDef.button}
          </h2>
          {csv('daily')}
        </div>
        {dailyDef.text}
        {daily.length === 0 ? <p class="muted">No conversations in this range.</p> : <Chart testId="chart-daily" label="Conversations, escalations and self-served per day" summary={describeDaily(daily)} build={buildDaily} />}
      </section>
      <section class="panel" aria-labelledby="ces-heading">
        <div class="panel-head">
          <h2 id="ces-heading">
            Customer effort scores {cesDef.button}
          </h2>
        </div>
        {cesDef.text}
        <Chart testId="chart-ces" label="Distribution of effort scores 1–7" summary={describeCes(ces.distribution)} build={buildCes} />
      </section>
    </div>
  );
}
