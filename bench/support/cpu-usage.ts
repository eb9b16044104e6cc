/**
 * Who used the CPU during a benchmark phase: this process, PostgreSQL (the postmaster and its backends), a
 * child process, and the whole machine (so what the rest of the machine did shows as the remainder). Read
 * from /proc (Linux); elsewhere the figures are missing rather than wrong.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TICKS_PER_S = 100; // USER_HZ on Linux

export type CpuSample = { at: number; self: number; postgres: number | undefined; machineBusy: number | undefined };

function ticksOf(pid: number, withReapedChildren: boolean): number {
  try {
    // Fields after the command name (which may hold spaces) start at the state: utime is field 14 overall.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return withReapedChildren ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** CPU seconds used so far by one process (0 once it has ended). */
export function processCpuSeconds(pid: number): number {
  return ticksOf(pid, false) / TICKS_PER_S;
}

/** CPU seconds used so far by the postmaster whose data directory is `pgDataDir` and by its children. */
export function postgresCpuSeconds(pgDataDir: string): number | undefined {
  const pidFile = path.join(pgDataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let ticks = ticksOf(postmaster, true);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) ticks += ticksOf(Number(entry), false);
    } catch {
      // gone already: its time is in the postmaster's reaped-children count
    }
  }
  return ticks / TICKS_PER_S;
}

/** CPU seconds every core of the machine spent busy (not idle, not waiting for I/O) since boot. */
function machineBusySeconds(): number | undefined {
  try {
    const [, ...v] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = v as number[];
    return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

export function sampleCpu(pgDataDir: string): CpuSample {
  const u = process.cpuUsage();
  return { at: Date.now(), self: (u.user + u.system) / 1e6, postgres: postgresCpuSeconds(pgDataDir), machineBusy: machineBusySeconds() };
}

/** Cores used on average between two samples, by whom; `clientSeconds` is the load client's own CPU time. */
export function coresUsed(before: CpuSample, after: CpuSample, clientSeconds: number | undefined) {
  const wall = (after.at - before.at) / 1000;
  const per = (s: number | undefined) => (s === undefined ? undefined : Number((s / wall).toFixed(2)));
  const server = after.self - before.self;
  const postgres = after.postgres !== undefined && before.postgres !== undefined ? after.postgres - before.postgres : undefined;
  const busy = after.machineBusy !== undefined && before.machineBusy !== undefined ? after.machineBusy - before.machineBusy : undefined;
  const rest = busy !== undefined && postgres !== undefined && clientSeconds !== undefined ? busy - server - postgres - clientSeconds : undefined;
  return { cores: os.cpus().length, seconds: { server, postgres }, server: per(server), postgres: per(postgres), client: per(clientSeconds), rest: per(rest), busy: per(busy) };
}
