/** uPlot charts for the dashboard. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cesColumns, dailyColumns } from './chart-data';
import type { Metrics } from './types';

export const CHART_HEIGHT = 240;

const COLORS = { conversations: '#3b5b92', escalations: '#c0563b', selfServed: '#3f8f5a', bars: '#5b6fa8' };
const axis = { stroke: '#5b6270', grid: { stroke: '#e6e8ec', width: 1 }, ticks: { stroke: '#d5d8de', width: 1 } };

export function dailyChart(el: HTMLElement, daily: Metrics['daily'], width: number): uPlot {
  const opts: uPlot.Options = {
    width,
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [{ ...axis }, { ...axis, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }],
    series: [
      { label: 'Date', value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleDateString()) },
      { label: 'Conversations', stroke: COLORS.conversations, width: 2, points: { show: true, size: 5 } },
      { label: 'Escalations', stroke: COLORS.escalations, width: 2, points: { show: true, size: 5 } },
      { label: 'Self-served', stroke: COLORS.selfServed, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
    ],
  };
  return new uPlot(opts, dailyColumns(daily), el);
}

export function cesChart(el: HTMLElement, distribution: number[] | null | undefined, width: number): uPlot {
  const bars = uPlot.paths.bars?.({ size: [0.6, 60] });
  const opts: uPlot.Options = {
    width,
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    legend: { show: false },
    scales: { x: { time: false, range: [0.5, 7.5] }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    axes: [
      { ...axis, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')), label: 'Score (1 = very hard, 7 = very easy)' },
      { ...axis, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
    ],
    series: [
      { label: 'Score' },
      { label: 'Responses', stroke: COLORS.bars, fill: 'rgba(91, 111, 168, 0.55)', width: 1, ...(bars ? { paths: bars } : {}), points: { show: false } },
    ],
  };
  return new uPlot(opts, cesColumns(distribution), el);
}
