/**
 * Load figures with real server processes on 127.0.0.1 (`server/main.ts`, as `npm start` runs
 * it), widget visitors on WebSockets, printed as tables (never asserted). Parts:
 *
 * - paced:     N conversations (default 1,000) open loop, a seeded-random pause of 0–10 s
 *              before each next question, for a fixed time; message → bot reply p50/p95/p99/max
 *              (bench/load-paced.ts);
 * - saturated: V visitors (default 300) closed loop (next question as soon as the answer is
 *              in); answered messages/s and latencies over a fixed window after a warm-up, and
 *              the PostgreSQL / SQLite throughput ratio (bench/load-saturated.ts);
 * - trips:     database round trips per customer message, in-process with a counting store,
 *              with the statements by kind (bench/round-trips.ts);
 * - profile:   a CPU profile (--cpu-prof) of a saturated server (SQLite, or PostgreSQL with
 *              --profile-setup postgres-1), summarised by function and area (bench/cpu-profile.ts);
 * - idle:      idle widget WebSockets per GiB (bench/load-idle.ts).
 *
 * Rows: SQLite 1 instance, PostgreSQL 1 instance, PostgreSQL 2 instances (visitors split,
 * instances talk over LISTEN/NOTIFY). SQLite is single-instance by design, so it has no
 * 2-instance row. Every loop is bounded in time; the bench client, the servers and PostgreSQL
 * share this machine, so the figures are a floor, not a capacity plan.
 *
 * Run: `node --expose-gc --import tsx bench/load.ts [--parts paced,saturated,trips,profile,idle] [--setups sqlite,postgres-1,postgres-2] [--repeat N]
 *   [--conversations 1000] [--duration 30] [--visitors 300] [--window 20] [--trips 200] [--idle 10000]`
 * (also the last part of `npm run bench`; skip it there with --no-load).
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); skipped if unreachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareKnowledgeIndex } from '../test/scale/cluster';
import { postgresReachable, TEST_DATABASE_URL } from '../test/support/stores';
import { readMainProfile, summariseProfile } from './cpu-profile';
import { idleSockets } from './load-idle';
import { runPaced } from './load-paced';
import { runSaturated, type SaturatedResult } from './load-saturated';
import { machineNote, openSetup, type SetupFactory, type SetupKind, withSetup } from './load-setup';
import { breakdownTable, roundTrips, traceTable, type TripsResult } from './round-trips';

export const PARTS = ['paced', 'saturated', 'trips', 'profile', 'idle'] as const;
export type Part = (typeof PARTS)[number];

export interface LoadBenchOptions {
  parts?: Part[];
  /** paced: conversations, sending time (s), longest pause (ms), seed. */
  conversations?: number;
  durationS?: number;
  maxPauseMs?: number;
  seed?: number;
  /** saturated: visitors, warm-up and measured window (s); the profile run uses `profileS`. */
  visitors?: number;
  warmupS?: number;
  windowS?: number;
  profileS?: number;
  /** saturated: how many interleaved rounds of the set-ups (default 1). */
  repeat?: number;
  /** Only these set-ups (default: all three). */
  setups?: SetupKind[];
  /** profile: which set-up's (first) server to profile. */
  profileSetup?: 'sqlite' | 'postgres-1';
  /** trips: customer messages counted, messages per visitor. */
  trips?: number;
  perVisitor?: number;
  idle?: number;
}

const SQLITE_SINGLE = 'n/a (see below)';
const SQLITE_SINGLE_WHY = 'SQLite, 2 instances: n/a — SQLite is single-instance by design (one database file, one writer process, a local bus); several instances need PostgreSQL.';

const SETUPS: { kind: SetupKind; label: string }[] = [
  { kind: 'sqlite', label: 'SQLite, 1 instance' },
  { kind: 'postgres-1', label: 'PostgreSQL, 1 instance' },
  { kind: 'postgres-2', label: 'PostgreSQL, 2 instances' },
];

export async function runLoadBench(options: LoadBenchOptions = {}): Promise<void> {
  const parts = options.parts ?? [...PARTS];
  const work = mkdtempSync(join(tmpdir(), 'answerdesk-load-'));
  const started = performance.now();
  try {
    const f: SetupFactory = { work, knowledgeIndex: prepareKnowledgeIndex(work), pgOk: await postgresReachable() };
    if (!f.pgOk) console.error(`… PostgreSQL not reachable at ${TEST_DATABASE_URL}: PostgreSQL rows skipped`);
    const setups = SETUPS.filter((s) => (s.kind === 'sqlite' || f.pgOk) && (!options.setups || options.setups.includes(s.kind)));
    const na = (label: string, columns: Record<string, string>) => ({ setup: label, ...columns });

    if (parts.includes('trips')) {
      const results: { name: string; result: TripsResult }[] = [];
      for (const backend of ['sqlite', 'postgres'] as const) {
        if (backend === 'postgres' && !f.pgOk) continue;
        console.error(`… trips: ${options.trips ?? 200} customer messages in-process, ${backend}`);
        results.push({ name: backend === 'sqlite' ? 'SQLite' : 'PostgreSQL', result: await roundTrips(backend, { messages: options.trips ?? 200, perVisitor: options.perVisitor ?? 5, knowledgeIndex: f.knowledgeIndex }) });
      }
      console.log(`\nDatabase round trips per customer message (in-process server, real WebSockets, one message at a time; target ≤ 4 on PostgreSQL) — ${machineNote()}`);
      console.table(results.map((r) => r.result.row));
      console.log('Statements by kind, per customer message (store queries; on PostgreSQL plus the bus NOTIFYs)');
      console.table(breakdownTable(results));
      console.log('The statements of one visitor\'s first message (opens the conversation) and of its second, in order');
      console.table(traceTable(results));
    }

    if (parts.includes('paced')) {
      const conversations = options.conversations ?? 1000;
      const durationS = options.durationS ?? 30;
      const maxPauseMs = options.maxPauseMs ?? 10_000;
      const rows: Record<string, string | number>[] = [];
      for (const s of setups) {
        console.error(`… paced: ${conversations} conversations, ${s.label}`);
        const row = await withSetup(() => openSetup(s.kind, f), (setup) => runPaced(setup, { conversations, durationS, maxPauseMs, seed: options.seed ?? 1 }));
        const { setup: _name, instances: _n, ...columns } = row;
        const target = s.kind === 'sqlite' ? 10 : 20;
        rows.push({ setup: s.label, ...columns, target: `p99 ≤ ${target} ms`, meets: Number(row['p99 ms']) <= target ? 'yes' : 'NO' });
      }
      rows.splice(1, 0, na('SQLite, 2 instances', { conversations: SQLITE_SINGLE }));
      console.log(
        `\nPaced widget load (open loop): ${conversations} conversations, each visitor sends its next question after a seeded-random pause of 0–${maxPauseMs / 1000} s, ` +
          `for ${durationS} s (then up to 15 s for the last answers); latency = send → first bot message. CPU: % of one core (200% = the whole machine) — ${machineNote()}`,
      );
      console.table(rows);
      console.log(SQLITE_SINGLE_WHY);
    }

    if (parts.includes('saturated')) {
      const visitors = options.visitors ?? 300;
      const windowS = options.windowS ?? 20;
      const warmupS = options.warmupS ?? 5;
      const rounds = Math.max(1, options.repeat ?? 1);
      // Rounds interleave the set-ups (SQLite, PostgreSQL, PostgreSQL ×2, then again), so a
      // drift of the shared machine weighs on every set-up alike; the summary takes medians.
      const all: Map<SetupKind, SaturatedResult>[] = [];
      for (let round = 1; round <= rounds; round++) {
        const rows: Record<string, string | number>[] = [];
        const results = new Map<SetupKind, SaturatedResult>();
        for (const s of setups) {
          console.error(`… saturated${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}: ${visitors} visitors, ${s.label}`);
          const result = await withSetup(() => openSetup(s.kind, f), (setup) => runSaturated(setup, { visitors, warmupS, durationS: windowS }));
          results.set(s.kind, result);
          const { setup: _name, instances: _n, ...columns } = result.row;
          rows.push({ setup: s.label, ...columns });
        }
        all.push(results);
        const sqlite = results.get('sqlite')?.throughput;
        for (const [i, s] of setups.entries()) {
          const tp = results.get(s.kind)!.throughput;
          rows[i]!['vs SQLite'] = sqlite ? `${Math.round((100 * tp) / sqlite)}%` : '-';
          rows[i]!.target = s.kind === 'sqlite' ? '≥ 1200/s' : '≥ 80% of SQLite';
          rows[i]!.meets = (s.kind === 'sqlite' ? tp >= 1200 : sqlite !== undefined && tp >= 0.8 * sqlite) ? 'yes' : 'NO';
        }
        if (setups.some((s) => s.kind === 'sqlite')) rows.splice(1, 0, na('SQLite, 2 instances', { visitors: SQLITE_SINGLE }));
        console.log(
          `\nSaturated widget load (closed loop)${rounds > 1 ? `, round ${round} of ${rounds}` : ''}: ${visitors} visitors, each sends its next question as soon as the answer arrives; ${warmupS} s warm-up, then ${windowS} s measured ` +
            `(answered/s = answers that arrived in the window; reply time ≈ visitors ÷ answered/s by queueing). CPU: % of one core — ${machineNote()}`,
        );
        console.table(rows);
        console.log(SQLITE_SINGLE_WHY);
        const pg1 = results.get('postgres-1')?.throughput;
        const pg2 = results.get('postgres-2')?.throughput;
        if (sqlite && pg1) {
          console.log(
            `PostgreSQL / SQLite throughput: 1 instance ${((100 * pg1) / sqlite).toFixed(0)}%` + (pg2 ? `, 2 instances ${((100 * pg2) / sqlite).toFixed(0)}%` : '') + ' (target ≥ 80%)',
          );
        }
      }
      if (rounds > 1) {
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
        const medians = new Map(setups.map((s) => [s.kind, median(all.map((r) => r.get(s.kind)!.throughput))]));
        const sqlite = medians.get('sqlite');
        console.log(`\nSaturated, ${rounds} rounds: answered/s of each round and the median (lower median for an even count) — ${machineNote()}`);
        console.table(
          setups.map((s) => ({
            setup: s.label,
            rounds: all.map((r) => Math.round(r.get(s.kind)!.throughput)).join(' / '),
            'server CPU ms/msg': all.map((r) => r.get(s.kind)!.row['server CPU ms/msg']).join(' / '),
            median: Math.round(medians.get(s.kind)!),
            'vs SQLite (medians)': sqlite ? `${Math.round((100 * medians.get(s.kind)!) / sqlite)}%` : '-',
          })),
        );
      }
    }

    if (parts.includes('profile')) {
      const dir = join(work, 'cpu-profile');
      const visitors = options.visitors ?? 300;
      const seconds = options.profileS ?? 15;
      const kind = options.profileSetup ?? 'sqlite';
      const name = kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      console.error(`… profile: saturated ${name} run under --cpu-prof, ${visitors} visitors, ${seconds} s`);
      const result = await withSetup(
        () => openSetup(kind, f, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] }),
        (setup) => runSaturated(setup, { visitors, warmupS: 3, durationS: seconds }),
      );
      // The server has exited (SIGTERM) by now, so its profile is written.
      const summary = summariseProfile(readMainProfile(dir), result.windowUs);
      console.log(
        `\nCPU profile of the saturated ${name} server (--cpu-prof, ${visitors} visitors closed loop, the ${seconds} s window only: ${summary.samples} samples, ${summary.windowMs} ms; ` +
          `${Math.round(result.throughput)} answered/s under the profiler) — ${machineNote()}`,
      );
      console.log('Top functions by self time (native callees named with the JS file that called them; our files are tsx-compiled, so lines are approximate)');
      console.table(summary.top);
      console.log(
        'Self time by area (natives count for the area of their JS caller; better-sqlite3 runs SQLite inside a native call that the profile books to kysely\'s ' +
          'SqliteConnection.executeQuery, so "database" includes SQLite itself). Samples are wall-clock: time the server waited for a core counts for the function it was in',
      );
      console.table(summary.areas);
    }

    if (parts.includes('idle')) {
      const idle = options.idle ?? 10_000;
      const rows = [];
      for (const s of setups.filter((x) => x.kind !== 'postgres-2')) {
        console.error(`… idle sockets: ${idle} on ${s.label}`);
        rows.push(await withSetup(() => openSetup(s.kind, f), (setup) => idleSockets(setup, idle)));
      }
      console.log(`\nIdle widget WebSockets: server memory after full GCs, before and after opening them (VmRSS from /proc; V8 heap + external) — ${machineNote()}`);
      console.table(rows);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    console.error(`… load bench done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string', default: PARTS.join(',') },
      setups: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      conversations: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '30' },
      'max-pause': { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      visitors: { type: 'string', default: '300' },
      warmup: { type: 'string', default: '5' },
      window: { type: 'string', default: '20' },
      'profile-seconds': { type: 'string', default: '15' },
      'profile-setup': { type: 'string', default: 'sqlite' },
      trips: { type: 'string', default: '200' },
      'per-visitor': { type: 'string', default: '5' },
      idle: { type: 'string', default: '10000' },
    },
  });
  const parts = values.parts.split(',').flatMap((p) => (p === 'load' ? ['paced', 'saturated'] : [p.trim()]));
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) {
    console.error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
    process.exit(2);
  }
  await runLoadBench({
    parts: parts as Part[],
    conversations: Number(values.conversations),
    durationS: Number(values.duration),
    maxPauseMs: Number(values['max-pause']),
    seed: Number(values.seed),
    visitors: Number(values.visitors),
    warmupS: Number(values.warmup),
    windowS: Number(values.window),
    profileS: Number(values['profile-seconds']),
    ...(values.setups ? { setups: values.setups.split(',').map((x) => x.trim()) as SetupKind[] } : {}),
    repeat: Number(values.repeat),
    profileSetup: values['profile-setup'] === 'postgres-1' ? 'postgres-1' : 'sqlite',
    trips: Number(values.trips),
    perVisitor: Number(values['per-visitor']),
    idle: Number(values.idle),
  });
}
