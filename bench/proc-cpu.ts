/**
 * CPU time of processes from /proc (Linux): where the machine's cores went during a run —
 * the server processes, PostgreSQL's backends and the bench client itself.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of one process, in seconds (0 when it is gone or /proc is absent). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return 0;
  }
}

function postgresPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export interface CpuSnapshot {
  at: number;
  servers: number;
  postgres: Map<number, number>;
  client: number;
}

export function cpuSnapshot(serverPids: number[]): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    servers: serverPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    postgres: new Map(postgresPids().map((pid) => [pid, processCpuSeconds(pid)])),
    client: (usage.user + usage.system) / 1e6,
  };
}

/**
 * CPU used between two snapshots, as % of one core (200% = both cores of this machine); with
 * `messages`, also the server CPU time per message (robust to other load on the machine, where
 * throughput is not).
 */
export function cpuColumns(before: CpuSnapshot, after: CpuSnapshot, messages?: number) {
  const seconds = (after.at - before.at) / 1000;
  let pg = 0;
  for (const [pid, end] of after.postgres) pg += end - (before.postgres.get(pid) ?? 0);
  const pct = (s: number) => `${Math.round((100 * s) / seconds)}%`;
  return {
    'server CPU': pct(after.servers - before.servers),
    'pg CPU': after.postgres.size ? pct(pg) : '-',
    'client CPU': pct(after.client - before.client),
    ...(messages ? { 'server CPU ms/msg': ((1000 * (after.servers - before.servers)) / messages).toFixed(3) } : {}),
  };
}
