import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { CHART_HEIGHT } from '../charts';

/** Mounts a uPlot chart and keeps it as wide as its container. */
export function Chart({ build, label, summary, testId }: { build: (el: HTMLElement, width: number) => uPlot; label: string; summary: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(280, Math.floor(el.clientWidth || 600));
    const chart = build(el, width());
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => chart.setSize({ width: width(), height: CHART_HEIGHT })) : null;
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      chart.destroy();
    };
  }, [build]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{label}</figcaption>
      <div ref={box} class="chart-box" role="img" aria-label={`${label}. ${summary}`} />
    </figure>
  );
}
