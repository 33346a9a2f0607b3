/** The server's memory (VmRSS, VmHWM) and the CPU use of the machine and of given processes, from /proc (Linux). */
import fs from 'node:fs';
import os from 'node:os';

/**
 * VmRSS / VmHWM of a process in bytes, from /proc (Linux), and the part of VmRSS that is file-backed
 * (RssFile: the node binary and libraries, and with SQLITE_MMAP_MB the mapped database file; pages the kernel can drop and re-read).
 */
export function procMemory(pid: number): { rss: number; hwm: number; file: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), file: kb('RssFile') };
  } catch {
    return undefined;
  }
}

/** CPU ticks from /proc: the whole machine (busy = all but idle and iowait) and given processes (utime + stime). */
export interface CpuSnapshot {
  total: number;
  busy: number;
  procs: number[];
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const procs = pids.map((pid) => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(after[11]) + Number(after[12]);
    });
    return { total, busy: total - fields[3] - fields[4], procs };
  } catch {
    return undefined;
  }
}

/** Cores used between two snapshots: [machine, each process…, everything else]. */
export function coresUsed(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): number[] | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  const elapsed = (b.total - a.total) / os.cpus().length;
  const busy = (b.busy - a.busy) / elapsed;
  const procs = b.procs.map((v, i) => (v - a.procs[i]) / elapsed);
  return [busy, ...procs, Math.max(0, busy - procs.reduce((x, y) => x + y, 0))];
}

/** Cores used by processes other than the server and the bench over a 2 s window. */
async function otherLoad(serverPid: number): Promise<number | undefined> {
  const a = cpuSnapshot([serverPid, process.pid]);
  await new Promise((r) => setTimeout(r, 2000));
  return coresUsed(a, cpuSnapshot([serverPid, process.pid]))?.[3];
}

/** Waits (up to `seconds`) until other processes use less than a quarter of a core; returns the last reading. */
export async function waitQuiet(serverPid: number, seconds: number): Promise<number | undefined> {
  const deadline = Date.now() + seconds * 1000;
  let load = await otherLoad(serverPid);
  while (load !== undefined && load >= 0.25 && Date.now() < deadline) {
    process.stdout.write(`other processes are using ${load.toFixed(2)} cores; waiting for a quiet machine…\r`);
    load = await otherLoad(serverPid);
  }
  if (seconds > 0) process.stdout.write('\n');
  return load;
}

export class RssSampler {
  peak = 0;
  phase = 'start-up';
  readonly peakByPhase = new Map<string, number>();
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }
  /** RssFile when VmRSS peaked. */
  fileAtPeak = 0;
  sample(): void {
    const m = procMemory(this.pid);
    if (!m) return;
    if (m.rss > this.peak) this.fileAtPeak = m.file;
    this.peak = Math.max(this.peak, m.rss);
    this.peakByPhase.set(this.phase, Math.max(this.peakByPhase.get(this.phase) ?? 0, m.rss));
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
