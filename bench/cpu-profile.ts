/**
 * Summaries of a V8 .cpuprofile (as `node --cpu-prof` writes it): self time by function and
 * by area, restricted to a time window (CLOCK_MONOTONIC µs, the profile's own clock).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/scale/cluster';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The profile(s) `--cpu-prof-dir` received; the main thread's is the one with most samples. */
export function readMainProfile(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}`);
  files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as CpuProfile;
}

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** node_modules/<pkg>/…, server/…, node:internal/… */
export function shortPath(url: string): string {
  if (!url) return '';
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    const file = rest.at(-1)!;
    return `node_modules/${pkg}/…/${file}`;
  }
  if (path.startsWith(ROOT + '/')) path = path.slice(ROOT.length + 1);
  return path;
}

function packageOf(url: string): string | undefined {
  const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return m?.[1];
}

/** The area a JS frame belongs to. */
function areaOfUrl(url: string): string {
  const pkg = packageOf(url);
  if (pkg) {
    if (['better-sqlite3', 'kysely', 'pg', 'pg-protocol', 'pg-pool', 'pg-types', 'postgres-array', 'bindings'].includes(pkg)) return 'database: kysely, better-sqlite3, pg';
    if (pkg === 'ws') return 'ws (WebSocket frames)';
    if (['pino', 'sonic-boom', 'thread-stream', 'fast-redact', 'quick-format-unescaped', 'atomic-sleep'].includes(pkg)) return 'pino (logging)';
    if (pkg === 'zod') return 'zod (frame validation)';
    if (['lunr', 'fuse.js'].includes(pkg)) return 'search libs: lunr, fuse.js';
    if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig') return 'tsx loader';
    if (['express', 'router', 'body-parser', 'helmet', 'send', 'serve-static', 'finalhandler', 'raw-body', 'qs', 'cookie'].includes(pkg)) return 'express & HTTP middleware';
    return `other node_modules (${pkg})`;
  }
  const path = shortPath(url);
  if (path.startsWith('node:')) return 'node internals (node:*)';
  const top = path.split('/')[0];
  if (top === 'server' || top === 'bot' || top === 'knowledge') return `our code: ${top}/`;
  if (top === 'test') return 'test/ (memory probe)';
  return `other (${path})`;
}

export interface ProfileSummary {
  windowMs: number;
  samples: number;
  top: { function: string; where: string; 'self ms': number; 'self %': string }[];
  areas: { area: string; 'self ms': number; '% of window': string; '% of busy': string }[];
}

export function summariseProfile(profile: CpuProfile, window?: { from: number; to: number }, topN = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The JS frame a native (url-less) frame was called from: natives count for their caller's area.
  const callerOf = (id: number): ProfileNode | undefined => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const n = byId.get(p)!;
      if (n.callFrame.url) return n;
    }
    return undefined;
  };

  // Per-sample weight: the time until the next sample (V8 attributes a sample's interval to it).
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  let counted = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const weight = (deltas[i + 1] ?? 0) / 1000; // ms
    if (window && (t < window.from || t >= window.to)) continue;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + weight);
    total += weight;
    counted++;
  }

  const fnRows = new Map<string, { function: string; where: string; ms: number }>();
  const areaRows = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    let fn = functionName || '(anonymous)';
    let where: string;
    let area: string;
    if (SPECIAL.has(functionName)) {
      where = '';
      area = functionName === '(garbage collector)' ? 'GC' : functionName === '(idle)' ? 'idle (waiting for I/O)' : '(program): native, outside JS';
      if (functionName === '(idle)') idle += ms;
    } else if (!url) {
      const caller = callerOf(id);
      fn = `${fn} (native)`;
      where = caller ? `from ${shortPath(caller.callFrame.url)}` : '';
      area = caller ? areaOfUrl(caller.callFrame.url) : 'V8/native, no JS caller';
    } else {
      where = shortPath(url) + (functionName ? '' : `:${lineNumber + 1}`);
      area = areaOfUrl(url);
    }
    const key = `${fn}\u0000${where}`;
    const row = fnRows.get(key) ?? { function: fn, where, ms: 0 };
    row.ms += ms;
    fnRows.set(key, row);
    areaRows.set(area, (areaRows.get(area) ?? 0) + ms);
  }
  const busy = total - idle;
  const pct = (ms: number, of: number) => (of > 0 ? `${((100 * ms) / of).toFixed(1)}%` : '-');
  return {
    windowMs: Math.round(total),
    samples: counted,
    top: [...fnRows.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, topN)
      .map((r) => ({ function: r.function.slice(0, 48), where: r.where.slice(0, 64), 'self ms': Math.round(r.ms), 'self %': pct(r.ms, total) })),
    areas: [...areaRows.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, ms]) => ({ area, 'self ms': Math.round(ms), '% of window': pct(ms, total), '% of busy': area.startsWith('idle') ? '-' : pct(ms, busy) })),
  };
}
